import Testing

@testable import VectorStorage

/// `depth` arrays nested in each other around `inner`, built without recursion.
func jsonNestedArrays(depth: Int, inner: JSONValue = .int(1)) -> JSONValue {
    var value = inner
    for _ in 0 ..< depth { value = .array([value]) }
    return value
}

/// Releases a (possibly very deep) value without recursion.
///
/// Swift releases nested enum payloads recursively: letting a `JSONValue` nested ~10,000 deep go
/// out of scope overflows a 512 KiB thread stack. Every child is moved onto an explicit stack
/// before its parent is released, so no release cascades. Pass the only reference
/// (`jsonDismantle(consume value)`), or the last remaining owner still cascades later.
func jsonDismantle(_ value: consuming JSONValue) {
    var pending = [value]
    while let next = pending.popLast() {
        switch next {
        case .array(let elements): pending.append(contentsOf: elements)
        case .object(let members): pending.append(contentsOf: members.values)
        default: continue
        }
    }
}

@Suite("JSON depth limits")
struct JSONDepthTests {
    @Test("readValue accepts exactly maxDepth levels and rejects one more, at the extra bracket")
    func depthLimit() throws {
        #expect(try JSONValue.parse("[[[1]]]", maxDepth: 3) == [[[1]]])
        let error = jsonParseError { _ = try JSONValue.parse("[[[[1]]]]", maxDepth: 3) }
        #expect(error?.code == .depthLimitExceeded && error?.offset == 3)
        let objects = jsonParseError { _ = try JSONValue.parse(#"{"a": {"b": {"c": {}}}}"#, maxDepth: 3) }
        #expect(objects?.code == .depthLimitExceeded && objects?.offset == 18)
        #expect(try JSONValue.parse("7", maxDepth: 0) == 7)
        #expect(jsonParseError { _ = try JSONValue.parse("[]", maxDepth: 0) }?.code == .depthLimitExceeded)
    }

    @Test("100,000 nested arrays throw instead of overflowing the stack")
    func hugeDepthThrows() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = jsonParseError { _ = try JSONValue.parse(text) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == JSONPullParser.defaultMaxDepth)
        let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(jsonParseError { _ = try JSONValue.parse(objects) }?.code == .depthLimitExceeded)
    }

    @Test("skipValue walks 100,000 nested containers iteratively and still validates")
    func skipDeepValue() throws {
        let deep = String(repeating: #"[{"k":"#, count: 50_000) + "null" + String(repeating: "}]", count: 50_000)
        try withJSONParser(deep + " ") { parser in
            try parser.skipValue()
            try parser.finish()
        }
        let broken = String(repeating: "[", count: 100_000) + "01" + String(repeating: "]", count: 100_000)
        let error = jsonParseError { try withJSONParser(broken) { try $0.skipValue() } }
        #expect(error?.code == .invalidNumber && error?.offset == 100_000)
        let unbalanced = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 99_999)
        #expect(jsonParseError { try withJSONParser(unbalanced) { try $0.skipValue() } }?.code == .unexpectedEnd)
    }

    @Test("the writer writes a 100,000-deep value without recursion")
    func writeDeepValue() {
        let value = jsonNestedArrays(depth: 100_000)
        var writer = JSONWriter()
        writer.writeValue(value)
        jsonDismantle(consume value)
        #expect(writer.bytes.count == 200_001)
        #expect(writer.bytes.prefix(3) == [UInt8(ascii: "["), UInt8(ascii: "["), UInt8(ascii: "[")])
        #expect(writer.bytes[100_000] == UInt8(ascii: "1"))
        #expect(writer.bytes.last == UInt8(ascii: "]"))
    }

    @Test("JSON equality compares deep values without recursion")
    func deepEquality() {
        let a = jsonNestedArrays(depth: 100_000)
        let b = jsonNestedArrays(depth: 100_000)
        let c = jsonNestedArrays(depth: 100_000, inner: 2)
        #expect(JSONValueComparison.equal(a, b))
        #expect(!JSONValueComparison.equal(a, c))
        jsonDismantle(consume a)
        jsonDismantle(consume b)
        jsonDismantle(consume c)
    }
}
