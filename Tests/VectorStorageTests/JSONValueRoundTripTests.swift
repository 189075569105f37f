import Foundation
import Testing

@testable import VectorStorage

@Suite("JSON value round trip")
struct JSONValueRoundTripTests {
    static let sample: JSONValue = [
        "title": "Intro \"quoted\" \\ back/slash",
        "year": 2024,
        "big": .int(.max),
        "small": .int(.min),
        "score": 0.93,
        "whole": 2.0,
        "negativeZero": -0.0,
        "tiny": .double(.leastNonzeroMagnitude),
        "huge": 1.7976931348623157e308,
        "flags": [true, false, nil],
        "tags": ["swift", "rag", "é", "😀", "עברית", "ǅ", "👩‍👩‍👧"],
        "control": "\u{0}\u{1}\u{1F}\n\t\r\u{8}\u{C}\u{7F}",
        "meta": ["author": "Ada", "nested": ["deeper": [[], [:], [[1, 2.5]]]]],
        "nfd": "cafe\u{301}",
        "": "empty key",
    ]

    @Test("write then parse gives back the identical value, integers as integers")
    func roundTrip() throws {
        let parsed = try JSONValue.parse(Self.sample.jsonBytes)
        #expect(parsed == Self.sample)
        #expect(parsed["year"] == .int(2024))
        #expect(parsed["whole"] == .double(2))
        #expect(parsed["negativeZero"]?.doubleValue?.sign == .minus)
        guard case .string(let nfd)? = parsed["nfd"] else { return }
        #expect(Array(nfd.utf8) == Array("cafe\u{301}".utf8))
    }

    @Test("object keys are sorted by UTF-8 bytes, output is compact and reproducible")
    func sortedKeys() {
        let value: JSONValue = ["b": 1, "a": [2, 3], "é": nil, "Z": true, "aa": ["y": 1, "x": 2]]
        #expect(value.jsonString == #"{"Z":true,"a":[2,3],"aa":{"x":2,"y":1},"b":1,"é":null}"#)
        // Same content built in another order: same bytes.
        var other: [String: JSONValue] = [:]
        for key in ["aa", "é", "Z", "b", "a"] { other[key] = value[key] }
        #expect(JSONValue.object(other).jsonBytes == value.jsonBytes)
    }

    @Test("string escapes")
    func escapes() {
        let value = JSONValue.string("a\"b\\c/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀")
        #expect(value.jsonString == #""a\"b\\c/\n\r\t\b\f\u0000\u001f"# + "\u{7F}é😀\"")
    }

    @Test("scalars and ids")
    func scalars() {
        func text(_ body: (inout JSONWriter) -> Void) -> String {
            var writer = JSONWriter()
            body(&writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        #expect(text { $0.writeID("doc-1") } == #""doc-1""#)
        #expect(text { $0.writeID(42) } == "42")
        #expect(text { $0.writeID(.int(.min)) } == "-9223372036854775808")
        #expect(text { $0.writeInt64(0) } == "0")
        #expect(text { $0.writeDouble(0.1) } == "0.1")
        #expect(text { $0.writeDouble(-0.0) } == "-0.0")
        #expect(text { $0.writeDouble(1e16) } == "1e+16")
        #expect(text { $0.writeBool(true); $0.writeComma(); $0.writeNull() } == "true,null")
        #expect(text { $0.beginObject(); $0.writeKey("k"); $0.writeFloats([1, 2]); $0.endObject() } == #"{"k":[1.0,2.0]}"#)
    }

    @Test("random doubles and integers round-trip exactly through readValue")
    func randomNumbers() throws {
        var generator = JSONTestRandom(seed: 3)
        var elements: [JSONValue] = []
        for _ in 0 ..< 20_000 {
            let double = Double(bitPattern: generator.next())
            if double.isFinite { elements.append(.double(double)) }
            elements.append(.int(Int64(bitPattern: generator.next())))
        }
        let value = JSONValue.array(elements)
        let parsed = try JSONValue.parse(value.jsonBytes)
        guard case .array(let back) = parsed else {
            Issue.record("expected an array")
            return
        }
        #expect(back.count == elements.count)
        for (a, b) in zip(elements, back) {
            switch (a, b) {
            case (.double(let x), .double(let y)): #expect(x.bitPattern == y.bitPattern, "\(x)")
            case (.int(let x), .int(let y)): #expect(x == y)
            default: Issue.record("\(a) came back as \(b)")
            }
        }
    }

    @Test("our output is read by Foundation's JSONSerialization with the same values")
    func foundationReadsOurOutput() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": "é\n"]]
        let object = try JSONSerialization.jsonObject(with: Data(value.jsonBytes)) as? [String: Any]
        #expect((object?["b"] as? [String: Any])?["c"] as? String == "é\n")
        #expect((object?["a"] as? [Any])?.count == 5)
        let floats: [Float] = [0.1, -0.0, .leastNonzeroMagnitude, 3.4028235e38, 0.012345678]
        var writer = JSONWriter()
        writer.writeFloats(floats)
        let decoded = try JSONDecoder().decode([Float].self, from: Data(writer.bytes))
        #expect(decoded.map(\.bitPattern) == floats.map(\.bitPattern))
    }

    @Test("payloads from a Python-style writer (spaces, unicode escapes) read correctly")
    func foreignStyle() throws {
        let text = #"[["doc1", {"title": "Caf\u00e9", "n": 1, "x": 1.0, "v": [0.10000000149011612, -1.5e-07]}], [2, {}]]"#
        let parsed = try JSONValue.parse(text)
        #expect(parsed == [["doc1", ["title": "Café", "n": 1, "x": 1.0, "v": [0.10000000149011612, -1.5e-07]]], [2, [:]]])
    }
}
