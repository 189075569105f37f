import Testing

@testable import VectorStorage

@Suite("JSON pull parser")
struct JSONPullParserTests {
    @Test("streams an ann_metadata-shaped document without building values")
    func streamMetadata() throws {
        let text = """
            {"dimension": 3, "algorithm": "flat", "vectorCount": 2, "faissAvailable": false,
             "extra": {"nested": [1, {"deep": [null, true, "x\\n"]}], "more": -1.5e3},
             "vectors": [["a", [1.0, 2.5, -0.0]], [7, [0.1, 1e-45, 3.4028235e38]]]}
            """
        var dimension: Int64 = 0
        var algorithm = ""
        var faiss = true
        var ids: [JSONValue] = []
        var floats: [Float] = []
        try withJSONParser(text) { parser in
            try parser.beginObject()
            while let key = try parser.nextKey() {
                switch key {
                case "dimension": dimension = try parser.readInt64()
                case "algorithm": algorithm = try parser.readString()
                case "faissAvailable": faiss = try parser.readBool()
                case "vectors":
                    try parser.beginArray()
                    while try parser.nextElement() {
                        try parser.beginArray()
                        #expect(try parser.nextElement())
                        ids.append(try parser.readValue(maxDepth: 0))
                        #expect(try parser.nextElement())
                        #expect(try parser.readFloatArray(appendingTo: &floats) == 3)
                        #expect(try !parser.nextElement())
                    }
                default:
                    try parser.skipValue()
                }
            }
            try parser.finish()
        }
        #expect(dimension == 3 && algorithm == "flat" && !faiss)
        #expect(ids == ["a", 7])
        let expected: [Float] = [1, 2.5, -0.0, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        #expect(floats.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test("peekKind announces every kind without consuming it")
    func kinds() throws {
        try withJSONParser(#" [ {}, [], "s", -1, 2.5, true, false, null ] "#) { parser in
            #expect(try parser.peekKind() == .array)
            try parser.beginArray()
            var kinds: [JSONPullParser.Kind] = []
            while try parser.nextElement() {
                kinds.append(try parser.peekKind())
                try parser.skipValue()
            }
            #expect(kinds == [.object, .array, .string, .number, .number, .bool, .bool, .null])
            try parser.finish()
        }
    }

    @Test("empty containers and whitespace everywhere")
    func emptyContainers() throws {
        try withJSONParser(" \t\r\n{ \n} ") { parser in
            try parser.beginObject()
            #expect(try parser.nextKey() == nil)
            try parser.finish()
        }
        try withJSONParser("[ ]") { parser in
            var floats: [Float] = [9]
            #expect(try parser.readFloatArray(appendingTo: &floats) == 0)
            #expect(floats == [9])
            try parser.finish()
        }
        #expect(try JSONValue.parse(" [ 1 , [ ] , { } ] ") == [1, [], [:]])
    }

    @Test("readFloatArray errors point at the element")
    func floatArrayErrors() {
        var floats: [Float] = []
        let notNumber = jsonParseError { try withJSONParser(#"[1, "a"]"#) { _ = try $0.readFloatArray(appendingTo: &floats) } }
        #expect(notNumber?.code == .typeMismatch && notNumber?.offset == 4)
        #expect(jsonParseError { try withJSONParser("[1,]") { _ = try $0.readFloatArray(appendingTo: &floats) } }?.code == .trailingComma)
        #expect(jsonParseError { try withJSONParser("[1 2]") { _ = try $0.readFloatArray(appendingTo: &floats) } }?.offset == 3)
        #expect(jsonParseError { try withJSONParser("[1,2") { _ = try $0.readFloatArray(appendingTo: &floats) } }?.code == .unexpectedEnd)
        #expect(jsonParseError { try withJSONParser("[NaN]") { _ = try $0.readFloatArray(appendingTo: &floats) } }?.code == .nonFiniteLiteral)
        #expect(jsonParseError { try withJSONParser("{}") { _ = try $0.readFloatArray(appendingTo: &floats) } }?.code == .typeMismatch)
    }

    @Test("a bad record is skipped after restore(mark) and the rest is read")
    func recordLevelRecovery() throws {
        let text = #"[["a", {"t": "x"}], ["b", {"t": "\ud800", "n": [1, 2]}], ["c", {"t": "z"}], [1, {"t": 1e999}], [2, {}]]"#
        var good: [JSONValue] = []
        var bad: [JSONParseError] = []
        try withJSONParser(text) { parser in
            try parser.beginArray()
            while try parser.nextElement() {
                let mark = parser.mark()
                do {
                    good.append(try parser.readValue())
                } catch let error as JSONParseError {
                    bad.append(error)
                    parser.restore(mark)
                    try parser.skipValueLeniently()
                }
            }
            try parser.finish()
        }
        #expect(good == [["a", ["t": "x"]], ["c", ["t": "z"]], [2, [:]]])
        #expect(bad.map(\.code) == [.loneSurrogate, .numberOutOfRange])
        #expect(bad.first?.offset == 33)
    }

    @Test("duplicate keys: the last wins and each one is reported")
    func duplicateKeys() throws {
        var reported: [JSONPullParser.DuplicateKey] = []
        let value = try JSONValue.parse(Array(#"{"a": 1, "b": {"x": 1, "x": 2}, "a": 3}"#.utf8)) { reported.append($0) }
        #expect(value == ["a": 3, "b": ["x": 2]])
        #expect(reported.map(\.key) == ["x", "a"])
        #expect(reported.map(\.offset) == [23, 32])
        #expect(reported.allSatisfy { !$0.isCanonicalEquivalent })

        try withJSONParser(#"{"k": 1, "k": 2, "k": 3}"#) { parser in
            let value = try parser.readValue()
            #expect(value == ["k": 3])
            #expect(parser.duplicateKeyCount == 2)
        }
    }

    @Test("NFC and NFD spellings of a key collapse into one member, reported as canonical equivalents")
    func canonicallyEquivalentKeys() throws {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        #expect(nfc == nfd)  // Swift strings compare by canonical equivalence
        var reported: [JSONPullParser.DuplicateKey] = []
        let text = "{\"\(nfc)\": 1, \"\(nfd)\": 2}"
        let value = try JSONValue.parse(Array(text.utf8)) { reported.append($0) }
        guard case .object(let members) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(members.count == 1)
        #expect(members.values.first == 2)
        // The winning (last) spelling is the one kept.
        #expect(members.keys.first.map { Array($0.utf8) } == Array(nfd.utf8))
        #expect(reported.count == 1)
        #expect(reported.first?.isCanonicalEquivalent == true)
        #expect(reported.first.map { Array($0.previousSpelling.utf8) } == Array(nfc.utf8))
    }

    @Test("strings: escapes, surrogate pairs, raw UTF-8")
    func strings() throws {
        #expect(try JSONValue.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONValue.parse(#""\u00e9\u00E9\ud83d\ude00\u0000""#) == .string("éé😀\u{0}"))
        #expect(try JSONValue.parse("\"é😀 עברית\"") == .string("é😀 עברית"))
        #expect(try JSONValue.parse(#""plain""#) == .string("plain"))
        #expect(try JSONValue.parse(#""""#) == .string(""))
        // A decomposed spelling stays decomposed (no normalisation).
        guard case .string(let nfd) = try JSONValue.parse("\"cafe\u{301}\"") else { return }
        #expect(Array(nfd.utf8) == Array("cafe\u{301}".utf8))
    }

    @Test("readFloat, readDouble, readInt64 inside containers, with the API's comma handling")
    func scalarsInContainers() throws {
        try withJSONParser(#"{"f": 0.1, "d": 0.1, "i": -12, "b": true, "n": null, "s": "x"}"#) { parser in
            try parser.beginObject()
            #expect(try parser.nextKey() == "f")
            #expect(try parser.readFloat() == Float(0.1))
            #expect(try parser.nextKey() == "d")
            #expect(try parser.readDouble() == 0.1)
            #expect(try parser.nextKey() == "i")
            #expect(try parser.readInt64() == -12)
            #expect(try parser.nextKey() == "b")
            #expect(try parser.readBool())
            #expect(try parser.nextKey() == "n")
            try parser.readNull()
            #expect(try parser.nextKey() == "s")
            #expect(try parser.readString() == "x")
            #expect(try parser.nextKey() == nil)
            try parser.finish()
        }
    }

    @Test("a value left unread is reported, not silently skipped")
    func unreadValue() {
        let error = jsonParseError {
            try withJSONParser(#"{"a": 1, "b": 2}"#) { parser in
                try parser.beginObject()
                _ = try parser.nextKey()
                _ = try parser.nextKey()  // the value 1 was not consumed
            }
        }
        #expect(error?.code == .unexpectedCharacter && error?.offset == 6)
    }

    @Test("readID: strings are string ids, integers integer ids, nothing else")
    func readIDs() throws {
        try withJSONParser(#"["doc-1", 42, -9223372036854775808, "7"]"#) { parser in
            var ids: [VectorID] = []
            try parser.beginArray()
            while try parser.nextElement() { ids.append(try parser.readID()) }
            #expect(ids == ["doc-1", 42, .int(.min), .string("7")])
        }
        #expect(jsonParseError { try withJSONParser("1.0") { _ = try $0.readID() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("1e3") { _ = try $0.readID() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("true") { _ = try $0.readID() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("null") { _ = try $0.readID() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("9223372036854775808") { _ = try $0.readID() } }?.code == .numberOutOfRange)
        var writer = JSONWriter()
        writer.beginArray()
        writer.writeID("a\"b")
        writer.writeComma()
        writer.writeID(-5)
        writer.endArray()
        let back = try JSONValue.parse(writer.bytes)
        #expect(back == ["a\"b", -5])
    }

    @Test("an empty buffer is the end of the input")
    func emptyBuffer() {
        let error = jsonParseError {
            let empty: [UInt8] = []
            try empty.withUnsafeBytes { raw in
                var parser = JSONPullParser(raw)
                _ = try parser.readValue()
            }
        }
        #expect(error?.code == .unexpectedEnd && error?.offset == 0)
    }
}
