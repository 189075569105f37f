import Foundation

/// `Codable`, so a ``JSONValue`` (and a ``Payload``) can sit inside any `Codable` type.
///
/// **Numbers.** The store's codec keeps what the JSON text says: `2` is ``JSONValue/int(_:)``,
/// `2.0`, `1e2` and `-0.0` are ``JSONValue/double(_:)``. A `Decoder`, though, hands a
/// `Decodable` only the number's *value*: Foundation's `JSONDecoder` reads the text `2.0` as the
/// integer 2 when asked for an `Int64` and as the double 2.0 when asked for a `Double` (just as it
/// reads `2`), and its `Decimal` normalises `2.0` to `2`, so the form of the text cannot be
/// recovered through the `Decoder` API on any platform. Hence two paths:
///
/// - `JSONDecoder.decodeKeepingNumberKinds(_:from:)` hands the document's text to
///   every ``JSONValue`` inside the decoded type, which then reads its own part of the text with
///   the store's codec (located by the decoder's `codingPath`): the kinds are kept exactly, as by
///   ``JSONValue/init(jsonText:)``. Use it (or ``JSONValue/init(jsonBytes:)``) to read payloads.
/// - Any other decoder (`JSONDecoder.decode(_:from:)`, a property-list decoder, …): a number is
///   ``JSONValue/int(_:)`` when it is a whole number that fits in an `Int64`, except `-0.0`, and
///   ``JSONValue/double(_:)`` otherwise. `2.0` therefore decodes as `.int(2)` on this path.
///
/// Encoding writes each case as the encoder's native type. Foundation's `JSONEncoder` writes a
/// whole-number double without its fraction (`2.0` becomes the text `2`), which every JSON reader,
/// this one included, then reads as an integer; ``JSONValue/jsonString`` writes `2.0` and keeps
/// the kind.
extension JSONValue: Codable {
    /// Decodes any JSON value; see the conformance's notes on numbers.
    public init(from decoder: any Decoder) throws {
        if let document = decoder.userInfo[.jsonValueSourceDocument] as? JSONSourceDocument,
           let value = document.value(at: decoder.codingPath), Self.value(value, agreesWith: decoder)
        {
            self = value
            return
        }
        self = try Self.decodeFromValues(decoder)
    }

    /// Encodes the value as the encoder's null, Boolean, integer, floating-point, string, array
    /// or keyed container.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// Decodes through the decoder's typed accessors (the number's text is not available).
    private static func decodeFromValues(_ decoder: any Decoder) throws -> JSONValue {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { return .null }
        if let b = try? container.decode(Bool.self) { return .bool(b) }
        let integer = try? container.decode(Int64.self)
        let double = try? container.decode(Double.self)
        switch (integer, double) {
        case (let i?, let d?):
            // A whole number either way; only the sign of zero tells a double for certain.
            return d == 0 && d.sign == .minus ? .double(d) : .int(i)
        case (let i?, nil): return .int(i)
        case (nil, let d?): return .double(d)
        case (nil, nil): break
        }
        if let s = try? container.decode(String.self) { return .string(s) }
        if let a = try? container.decode([JSONValue].self) { return .array(a) }
        if let o = try? container.decode([String: JSONValue].self) { return .object(o) }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value")
    }

    /// Whether the value found in the source text is the one the decoder is positioned on (a
    /// guard against a coding path that does not map onto the text, e.g. a custom key strategy).
    private static func value(_ value: JSONValue, agreesWith decoder: any Decoder) -> Bool {
        switch value {
        case .null:
            return (try? decoder.singleValueContainer().decodeNil()) == true
        case .bool(let b):
            return (try? decoder.singleValueContainer().decode(Bool.self)) == b
        case .int(let i):
            return (try? decoder.singleValueContainer().decode(Double.self)) == Double(i)
        case .double(let d):
            return (try? decoder.singleValueContainer().decode(Double.self)) == d
        case .string(let s):
            return (try? decoder.singleValueContainer().decode(String.self)) == s
        case .array(let a):
            guard let container = try? decoder.unkeyedContainer() else { return false }
            return container.count == a.count
        case .object(let o):
            guard let container = try? decoder.container(keyedBy: AnyJSONKey.self) else { return false }
            return container.allKeys.count == o.count
        }
    }
}

extension JSONDecoder {
    /// Decodes a value like `decode(_:from:)`, except that every ``JSONValue`` inside it keeps the
    /// kind its numbers have in the text: `2` an integer, `2.0`, `1e2` and `-0.0` doubles, as
    /// the store's own codec reads them (a plain `decode(_:from:)` cannot tell `2.0` from `2`).
    ///
    /// ```swift
    /// struct Document: Decodable { var id: String; var payload: Payload }
    /// let doc = try JSONDecoder().decodeKeepingNumberKinds(Document.self, from: data)
    /// ```
    ///
    /// The text is parsed a second time by the store's codec (strict RFC 8259); the decoder's
    /// strategies and `userInfo` apply as usual. Keys converted with `.convertFromSnakeCase` are
    /// found in the text; with a `.custom` key strategy, or when the text is not strict JSON
    /// (JSON5), values fall back to the plain decoder's reading.
    ///
    /// - Throws: what `decode(_:from:)` throws.
    public func decodeKeepingNumberKinds<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = dateDecodingStrategy
        decoder.dataDecodingStrategy = dataDecodingStrategy
        decoder.nonConformingFloatDecodingStrategy = nonConformingFloatDecodingStrategy
        decoder.keyDecodingStrategy = keyDecodingStrategy
        decoder.allowsJSON5 = allowsJSON5
        decoder.assumesTopLevelDictionary = assumesTopLevelDictionary
        decoder.userInfo = userInfo
        if let root = try? JSONValue.parse(data) {
            var snakeCase = false
            if case .convertFromSnakeCase = keyDecodingStrategy { snakeCase = true }
            decoder.userInfo[.jsonValueSourceDocument] = JSONSourceDocument(root: root, keysFromSnakeCase: snakeCase)
        }
        return try decoder.decode(type, from: data)
    }
}

extension CodingUserInfoKey {
    /// Where `JSONDecoder.decodeKeepingNumberKinds(_:from:)` leaves the parsed text.
    static let jsonValueSourceDocument = CodingUserInfoKey(rawValue: "VectorStorage.JSONValue.sourceDocument")!
}

/// A JSON document parsed by the store's codec, which a ``JSONValue`` being decoded reads its own
/// part of, located by the decoder's coding path.
final class JSONSourceDocument: Sendable {
    let root: JSONValue
    /// The decoder converts keys from snake case: a coding-path key `createdAt` is the text's
    /// `created_at`.
    let keysFromSnakeCase: Bool

    init(root: JSONValue, keysFromSnakeCase: Bool) {
        self.root = root
        self.keysFromSnakeCase = keysFromSnakeCase
    }

    /// The value at `path` (array elements by index, object members by key), or `nil`.
    func value(at path: [any CodingKey]) -> JSONValue? {
        var node = root
        for key in path {
            switch node {
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return nil }
                node = elements[index]
            case .object(let members):
                if let member = members[key.stringValue] {
                    node = member
                } else if keysFromSnakeCase,
                          let member = members.first(where: { Self.camelCase($0.key) == key.stringValue })
                {
                    node = member.value
                } else {
                    return nil
                }
            default:
                return nil
            }
        }
        return node
    }

    /// Foundation's `convertFromSnakeCase`: `created_at` → `createdAt`; leading and trailing
    /// underscores are kept, a key without inner underscores is unchanged.
    static func camelCase(_ key: String) -> String {
        guard let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        let last = key.lastIndex(where: { $0 != "_" })!
        let core = key[first...last]
        let words = core.split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = words[0].lowercased() + words.dropFirst().map { $0.capitalized }.joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }
}

/// Any key, for counting an object's members through a keyed container.
private struct AnyJSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
