/// A JSON document could not be read: what was wrong and where.
///
/// `offset` is the byte offset in the parsed text (a skipped byte-order
/// mark counts), pointing at the first byte of the offending token or character.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem was found; tests and callers can switch on it.
    public enum Code: Sendable, Hashable {
        /// The input ended in the middle of a value.
        case unexpectedEnd
        /// A byte that cannot start or continue the expected token.
        case unexpectedCharacter
        /// `[1,]` or `{"a":1,}`.
        case trailingComma
        /// A malformed number (`01`, `1.`, `-`, `.5`, `+1`, `1e`).
        case invalidNumber
        /// `NaN`, `Infinity` or `-Infinity` (Python's `json.dumps` default): not JSON.
        case nonFiniteLiteral
        /// A number that does not fit the requested type (`1e39` as a `Float`, `2^63` as an `Int64`,
        /// `1e400` as a `Double`), or a non-integer read as an integer.
        case numberOutOfRange
        /// A value of another kind than the one requested (a string where a number was expected).
        case typeMismatch
        /// A byte sequence that is not well-formed UTF-8 inside a string.
        case invalidUTF8
        /// A `\u` escape of a UTF-16 surrogate without its partner.
        case loneSurrogate
        /// An unknown escape (`\x`), a malformed `\u` escape, or a raw control character in a string.
        case invalidString
        /// Containers nested deeper than the limit (512 levels unless the reader sets another).
        case depthLimitExceeded
        /// Something other than whitespace after the document.
        case trailingContent
    }

    /// What kind of problem was found.
    public let code: Code
    /// Byte offset of the problem in the parsed buffer.
    public let offset: Int
    /// A human-readable explanation naming what was found and what was expected.
    public let message: String

    init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "JSON error at byte \(offset): \(message)" }
}
