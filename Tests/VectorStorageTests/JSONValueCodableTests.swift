import Foundation
import Testing

@testable import VectorStorage

/// `JSONValue`'s `Codable` conformance against the store's own codec: `2.0` stays a double and
/// `2` an integer through `JSONDecoder.decodeKeepingNumberKinds`, `JSONValue(jsonText:)` and the
/// store; what a plain `JSONDecoder`/`JSONEncoder` can and cannot keep is pinned down too.
@Suite("JSON value Codable")
struct JSONValueCodableTests {
    /// Number texts and the kind the store's codec gives each.
    static let numbers: [(text: String, value: JSONValue)] = [
        ("2", .int(2)), ("2.0", .double(2)), ("-0", .int(0)), ("-0.0", .double(-0.0)), ("1e2", .double(100)),
        ("1E+2", .double(100)), ("0.1", .double(0.1)), ("-7", .int(-7)), ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)), ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.000000000000000000001", .double(1)), ("1.5e300", .double(1.5e300)), ("5e-324", .double(.leastNonzeroMagnitude)),
    ]

    static let document = #"""
        {"title": "Intro", "year": 2024, "score": 2.0, "ratio": 0.5, "negativeZero": -0.0, "exp": 1e2,
         "tags": ["a", 1, 1.0, [2, 2.0]], "meta": {"count": 3, "weight": 3.0, "null": null, "ok": true}}
        """#

    @Test("the store's codec reads each number's kind from its text")
    func storeCodecKinds() throws {
        for (text, expected) in Self.numbers {
            let value = try JSONValue(jsonText: text)
            #expect(value == expected, "\(text)")
            if case .double(let d) = expected { #expect(value.doubleValue?.sign == d.sign, "sign of \(text)") }
        }
    }

    @Test("decodeKeepingNumberKinds decodes exactly what the store's codec reads")
    func decoderMatchesStoreCodec() throws {
        for (text, expected) in Self.numbers {
            let decoded = try JSONDecoder().decodeKeepingNumberKinds(JSONValue.self, from: Data(text.utf8))
            #expect(decoded == expected, "\(text)")
            if case .double(let d) = expected { #expect(decoded.doubleValue?.sign == d.sign, "sign of \(text)") }
        }
        let viaDecoder = try JSONDecoder().decodeKeepingNumberKinds(JSONValue.self, from: Data(Self.document.utf8))
        let viaCodec = try JSONValue(jsonText: Self.document)
        #expect(viaDecoder == viaCodec)
        #expect(viaDecoder["score"] == .double(2))
        #expect(viaDecoder["year"] == .int(2024))
        #expect(viaDecoder["tags"]?[3] == [.int(2), .double(2)])
        #expect(viaDecoder["meta"]?["weight"] == .double(3))
    }

    /// A `Codable` type holding payloads in several places, as a data loader would.
    struct Document: Codable, Equatable {
        var id: String
        var payload: Payload
        var extras: [JSONValue]
        var createdAt: JSONValue
    }

    @Test("JSON values nested in a Codable type keep their kinds, also with snake-case keys")
    func nestedInCodableType() throws {
        let text = #"""
            [{"id": "a", "payload": {"price": 2.0, "qty": 2}, "extras": [1.0, 1], "created_at": 5.0},
             {"id": "b", "payload": {"nested": {"x": [0.0, 0]}}, "extras": [], "created_at": 7}]
            """#
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let documents = try decoder.decodeKeepingNumberKinds([Document].self, from: Data(text.utf8))
        #expect(documents[0].payload == ["price": .double(2), "qty": .int(2)])
        #expect(documents[0].extras == [.double(1), .int(1)])
        #expect(documents[0].createdAt == .double(5))
        #expect(documents[1].payload["nested"] == ["x": [.double(0), .int(0)]])
        #expect(documents[1].createdAt == .int(7))
        // Without the document text, the decoder sees values only: 2.0 reads as the integer 2.
        let plain = try decoder.decode([Document].self, from: Data(text.utf8))
        #expect(plain[0].payload["price"] == .int(2))
        #expect(plain[0].payload["qty"] == .int(2))
    }

    @Test("a plain JSONDecoder keeps every kind it can tell apart, and -0.0's sign")
    func plainDecoder() throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(Self.document.utf8))
        let exact = try JSONValue(jsonText: Self.document)
        #expect(decoded["ratio"] == .double(0.5))
        #expect(decoded["title"] == "Intro")
        #expect(decoded["meta"]?["null"] == .null)
        #expect(decoded["meta"]?["ok"] == true)
        #expect(decoded["negativeZero"] == .double(-0.0))
        #expect(decoded["negativeZero"]?.doubleValue?.sign == .minus)
        // Whole-number doubles: the decoder offers the value only, so they read as integers.
        #expect(decoded["score"] == .int(2))
        #expect(decoded["exp"] == .int(100))
        // Numerically equal to the exact reading everywhere.
        #expect(decoded["score"]?.doubleValue == exact["score"]?.doubleValue)
    }

    static let sample: JSONValue = [
        "int": 2, "double": 2.0, "fraction": 0.25, "negativeZero": -0.0, "big": .int(.max), "small": .int(.min),
        "huge": 1.7976931348623157e308, "tiny": .double(.leastNonzeroMagnitude), "text": "é\"\n", "flag": false,
        "none": nil, "list": [1, 1.5, 2.0, "x", [], [:]], "object": ["inner": ["deep": 3.0]],
    ]

    @Test("encode and decode round trips: the store's codec keeps everything")
    func storeCodecRoundTrip() throws {
        let text = Self.sample.jsonString
        let back = try JSONValue(jsonText: text)
        #expect(back == Self.sample)
        #expect(back["double"] == .double(2))
        #expect(back["negativeZero"]?.doubleValue?.sign == .minus)
        // JSONDecoder reading the store's text keeps it too.
        #expect(try JSONDecoder().decodeKeepingNumberKinds(JSONValue.self, from: Data(text.utf8)) == Self.sample)
    }

    @Test("encode and decode round trips through JSONEncoder: whole-number doubles become integers, nothing else changes")
    func foundationRoundTrip() throws {
        let data = try JSONEncoder().encode(Self.sample)
        let back = try JSONDecoder().decodeKeepingNumberKinds(JSONValue.self, from: data)
        // JSONEncoder writes 2.0 as `2`: the text itself says integer. Derive the expectation by
        // turning every whole-number double of the sample into an integer.
        func integral(_ value: JSONValue) -> JSONValue {
            switch value {
            case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return .int(Int64(d))  // -0.0 is written `-0`
            case .array(let a): return .array(a.map(integral))
            case .object(let o): return .object(o.mapValues(integral))
            default: return value
            }
        }
        #expect(back == integral(Self.sample))
        #expect(back["fraction"] == .double(0.25))
        #expect(back["huge"] == .double(1.7976931348623157e308))
        #expect(back["double"] == .int(2))
        // Written by the store's codec instead, the same value comes back identical.
        let exact = try JSONDecoder().decodeKeepingNumberKinds(JSONValue.self, from: Data(Self.sample.jsonBytes))
        #expect(exact == Self.sample)
    }

    @Test("a payload decoded with decodeKeepingNumberKinds is stored and read back with its kinds")
    func throughTheStore() async throws {
        let dir = TemporaryDirectory()
        let payload = try JSONDecoder().decodeKeepingNumberKinds(
            Payload.self, from: Data(#"{"price": 2.0, "qty": 2, "tags": [1.0, 1]}"#.utf8))
        var store = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 3))
        try await store.insert([[1, 2, 3]], ids: ["a"], payloads: [payload])
        try await store.disconnect()
        store = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 3))
        let stored = try #require(try await store.get("a")).payload
        #expect(stored == ["price": .double(2), "qty": .int(2), "tags": [.double(1), .int(1)]])
        try await store.disconnect()
        // And the text the store wrote says so.
        let file = try #require(dir.read("store/payloads.json"))
        #expect(String(decoding: file, as: UTF8.self).contains(#""price":2.0"#))
    }

    @Test("snake-case keys map back to the text's keys")
    func camelCase() {
        #expect(JSONSourceDocument.camelCase("created_at") == "createdAt")
        #expect(JSONSourceDocument.camelCase("_leading_key_") == "_leadingKey_")
        #expect(JSONSourceDocument.camelCase("plain") == "plain")
        #expect(JSONSourceDocument.camelCase("__") == "__")
    }
}
