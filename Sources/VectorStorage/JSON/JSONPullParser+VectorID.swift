extension JSONPullParser {
    /// Reads a vector id: a JSON string gives a string id, a JSON integer an integer id (the
    /// counterpart of ``JSONWriter/writeID(_:)``).
    ///
    /// - Throws: ``JSONParseError`` for any other value (``JSONParseError/Code/typeMismatch``,
    ///   including numbers with a fraction or an exponent such as `1.0`), or an integer outside the
    ///   `Int64` range (``JSONParseError/Code/numberOutOfRange``).
    mutating func readID() throws -> VectorID {
        skipWhitespace()
        if offset < count && base[offset] == UInt8(ascii: "\"") {
            return .string(try readString())
        }
        guard offset < count, Self.kind(startingWith: base[offset]) == .number else {
            throw unexpectedValue("a vector id (a string or an integer)")
        }
        return .int(try readInt64())
    }
}
