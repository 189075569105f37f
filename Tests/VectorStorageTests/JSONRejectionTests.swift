import Testing

@testable import VectorStorage

@Suite("JSON rejections")
struct JSONRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let bytes: [UInt8]
        let code: JSONParseError.Code
        let offset: Int
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }

        init(_ text: String, _ code: JSONParseError.Code, at offset: Int) {
            bytes = Array(text.utf8)
            self.code = code
            self.offset = offset
        }

        init(bytes: [UInt8], _ code: JSONParseError.Code, at offset: Int) {
            self.bytes = bytes
            self.code = code
            self.offset = offset
        }
    }

    static let quote = UInt8(ascii: "\"")

    static let cases: [Case] = [
        // Python's json.dumps default output for non-finite floats.
        Case("NaN", .nonFiniteLiteral, at: 0),
        Case("[Infinity]", .nonFiniteLiteral, at: 1),
        Case("[1, -Infinity]", .nonFiniteLiteral, at: 4),
        Case(#"{"x": NaN}"#, .nonFiniteLiteral, at: 6),
        // Trailing commas and separators.
        Case("[1,]", .trailingComma, at: 3),
        Case("[1, 2 , ]", .trailingComma, at: 8),
        Case(#"{"a":1,}"#, .trailingComma, at: 7),
        Case("[,1]", .unexpectedCharacter, at: 1),
        Case("[1 2]", .unexpectedCharacter, at: 3),
        Case(#"{"a" 1}"#, .unexpectedCharacter, at: 5),
        Case(#"{"a":1 "b":2}"#, .unexpectedCharacter, at: 7),
        Case("{1:2}", .unexpectedCharacter, at: 1),
        Case("{'a':2}", .unexpectedCharacter, at: 1),
        Case("'a'", .unexpectedCharacter, at: 0),
        Case("tru", .unexpectedCharacter, at: 0),
        Case("[nul]", .unexpectedCharacter, at: 1),
        Case("[nulls]", .unexpectedCharacter, at: 5),
        // Strings.
        Case(#""\ud800""#, .loneSurrogate, at: 1),
        Case(#""\udc00""#, .loneSurrogate, at: 1),
        Case(#""ab\ud800\u0041""#, .loneSurrogate, at: 3),
        Case(#""\ud800x""#, .loneSurrogate, at: 1),
        Case(#""a\x""#, .invalidString, at: 2),
        Case(#""\u12G4""#, .invalidString, at: 1),
        Case("\"a\tb\"", .invalidString, at: 2),
        Case("\"a\nb\"", .invalidString, at: 2),
        Case(bytes: [quote, 0x00, quote], .invalidString, at: 1),
        Case(bytes: [quote, 0x61, 0xC3, 0x28, quote], .invalidUTF8, at: 2),  // bad continuation
        Case(bytes: [quote, 0xC0, 0x80, quote], .invalidUTF8, at: 1),  // overlong NUL
        Case(bytes: [quote, 0xE0, 0x80, 0xAF, quote], .invalidUTF8, at: 1),  // overlong '/'
        Case(bytes: [quote, 0xED, 0xA0, 0x80, quote], .invalidUTF8, at: 1),  // UTF-8-encoded surrogate
        Case(bytes: [quote, 0xF4, 0x90, 0x80, 0x80, quote], .invalidUTF8, at: 1),  // above U+10FFFF
        Case(bytes: [quote, 0x80, quote], .invalidUTF8, at: 1),  // lone continuation byte
        Case(bytes: [quote, 0xFF, quote], .invalidUTF8, at: 1),
        Case(bytes: [quote, 0xE2, 0x82], .invalidUTF8, at: 1),  // truncated at the end
        Case(bytes: [quote, 0x5C, 0x6E, 0xF0, 0x9F, 0x98, quote], .invalidUTF8, at: 3),  // after an escape
        Case(bytes: [UInt8(ascii: "["), 0xFF, UInt8(ascii: "]")], .unexpectedCharacter, at: 1),
        // Ends and leftovers.
        Case("", .unexpectedEnd, at: 0),
        Case("   ", .unexpectedEnd, at: 3),
        Case("[", .unexpectedEnd, at: 1),
        Case("[1,", .unexpectedEnd, at: 3),
        Case(#"{"a":"#, .unexpectedEnd, at: 5),
        Case(#""abc"#, .unexpectedEnd, at: 0),
        Case(#""ab\u00"#, .unexpectedEnd, at: 3),
        Case("[1] x", .trailingContent, at: 4),
        Case(#"{"a":1}}"#, .trailingContent, at: 7),
        Case("1 2", .trailingContent, at: 2),
        // A byte-order mark is only skipped at the very start.
        Case("[\u{FEFF}1]", .unexpectedCharacter, at: 1),
        Case(" \u{FEFF}{}", .unexpectedCharacter, at: 1),
    ]

    @Test("strict JSON: each malformed input fails with its code and byte offset", arguments: cases)
    func rejection(_ input: Case) {
        let error = jsonParseError { _ = try JSONValue.parse(input.bytes) }
        #expect(error?.code == input.code, "\(String(describing: error))")
        #expect(error?.offset == input.offset, "\(String(describing: error))")
        #expect(error.map { !$0.message.isEmpty && $0.description.contains("byte \(input.offset)") } == true)
    }

    @Test("a UTF-8 byte-order mark at the start is skipped")
    func byteOrderMark() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": [1]}"#.utf8)) == ["a": [1]])
        // Offsets still count the mark's bytes.
        #expect(jsonParseError { _ = try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("[1,]".utf8)) }?.offset == 6)
        // Inside a string it is an ordinary character.
        #expect(try JSONValue.parse("\"\u{FEFF}x\"") == .string("\u{FEFF}x"))
    }

    @Test("type mismatches name what was expected and what was found")
    func typeMismatch() {
        let error = jsonParseError { try withJSONParser(#"{"a": 1}"#) { try $0.beginArray() } }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "expected an array, found an object")
        #expect(jsonParseError { try withJSONParser("[1]") { _ = try $0.readString() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("null") { _ = try $0.readBool() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("\"1.5\"") { _ = try $0.readFloat() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("true") { try $0.readNull() } }?.code == .typeMismatch)
        #expect(jsonParseError { try withJSONParser("Infinity") { _ = try $0.readFloat() } }?.code == .nonFiniteLiteral)
    }
}
