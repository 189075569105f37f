extension JSONPullParser {
    /// Reads `true` or `false`.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a Boolean.
    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        if offset < count && (base[offset] == UInt8(ascii: "t") || base[offset] == UInt8(ascii: "f")) {
            throw error(.unexpectedCharacter, "expected true or false")
        }
        throw unexpectedValue("a Boolean")
    }

    /// Reads `null`.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not `null`.
    mutating func readNull() throws {
        skipWhitespace()
        if matchLiteral("null") { return }
        if offset < count && base[offset] == UInt8(ascii: "n") {
            throw error(.unexpectedCharacter, "expected null")
        }
        throw unexpectedValue("null")
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard count - offset >= length else { return false }
        for i in 0 ..< length where base[offset + i] != literal.utf8Start[i] { return false }
        offset += length
        return true
    }
}
