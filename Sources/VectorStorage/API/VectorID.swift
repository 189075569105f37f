/// The identifier of a vector in a collection: a string or a 64-bit integer.
///
/// The kind is part of the identity and survives every save and load: `"7"` and `7` are two
/// different ids, and an integer id is written as a JSON number, a string id as a JSON string.
///
/// String ids compare the way Swift strings do, by Unicode canonical equivalence: `"café"` spelled
/// with a precomposed `é` (NFC) and with `e` + a combining accent (NFD) are the *same* id. The
/// spelling kept (and saved) is the one used by the most recent write of that id.
///
/// A valid string id is 1 to 1,024 UTF-8 bytes long and contains no NUL character.
///
/// ```swift
/// let a: VectorID = "doc-1"
/// let b: VectorID = 42
/// ```
public enum VectorID: Hashable, Sendable {
    case string(String)
    case int(Int64)

    /// The longest string id accepted, in UTF-8 bytes.
    public static let maxUTF8Length = 1_024
}

extension VectorID: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension VectorID: CustomStringConvertible, CustomDebugStringConvertible {
    /// The id as a user would write it: the string itself, or the decimal integer.
    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        }
    }

    public var debugDescription: String {
        switch self {
        case .string(let s): return "\"\(s.debugDescription.dropFirst().dropLast())\""
        case .int(let i): return String(i)
        }
    }
}

extension VectorID: Codable {
    /// Decodes a JSON string as a string id and a JSON integer as an integer id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "A vector id must be a JSON string or a JSON integer")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .int(let i): try container.encode(i)
        }
    }
}
