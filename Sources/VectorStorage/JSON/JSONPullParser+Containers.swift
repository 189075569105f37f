extension JSONPullParser {
    /// Consumes `[`; then call ``nextElement()`` before each element.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not an array.
    mutating func beginArray() throws {
        try expectValueStart(UInt8(ascii: "["), "an array")
        offset += 1
        containers.append(.arrayStart)
    }

    /// Moves to the next element of the innermost array: `true` when an element follows (read or skip
    /// it next), `false` when the array ended (its `]` is consumed).
    ///
    /// - Throws: ``JSONParseError`` for a missing comma, a trailing comma, or the end of the input.
    /// - Precondition: the innermost open container is an array.
    mutating func nextElement() throws -> Bool {
        let top = containers.count - 1
        precondition(top >= 0 && containers[top].isArray, "nextElement() outside an array")
        skipWhitespace()
        guard offset < count else {
            throw error(.unexpectedEnd, "expected ',' or ']' in an array, found the end of the input")
        }
        let byte = base[offset]
        if byte == UInt8(ascii: "]") {
            offset += 1
            containers.removeLast()
            return false
        }
        if containers[top] == .arrayStart {
            containers[top] = .arrayNext
            return true
        }
        guard byte == UInt8(ascii: ",") else {
            throw error(.unexpectedCharacter, "expected ',' or ']' after an array element, found \(Self.describe(byte))")
        }
        offset += 1
        skipWhitespace()
        if offset < count && base[offset] == UInt8(ascii: "]") {
            throw error(.trailingComma, "a comma must be followed by another element, found ']'")
        }
        return true
    }

    /// Consumes `{`; then call ``nextKey()`` before each member.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not an object.
    mutating func beginObject() throws {
        try expectValueStart(UInt8(ascii: "{"), "an object")
        offset += 1
        containers.append(.objectStart)
    }

    /// Moves to the next member of the innermost object and returns its key (the `:` is consumed;
    /// read or skip the value next), or `nil` when the object ended (its `}` is consumed).
    ///
    /// - Throws: ``JSONParseError`` for a missing comma or colon, a trailing comma, a key that is
    ///   not a string, or the end of the input.
    /// - Precondition: the innermost open container is an object.
    mutating func nextKey() throws -> String? {
        let top = containers.count - 1
        precondition(top >= 0 && !containers[top].isArray, "nextKey() outside an object")
        skipWhitespace()
        guard offset < count else {
            throw error(.unexpectedEnd, "expected a key or '}' in an object, found the end of the input")
        }
        let byte = base[offset]
        if byte == UInt8(ascii: "}") {
            offset += 1
            containers.removeLast()
            return nil
        }
        if containers[top] == .objectStart {
            containers[top] = .objectNext
        } else {
            guard byte == UInt8(ascii: ",") else {
                throw error(.unexpectedCharacter, "expected ',' or '}' after an object member, found \(Self.describe(byte))")
            }
            offset += 1
            skipWhitespace()
            if offset < count && base[offset] == UInt8(ascii: "}") {
                throw error(.trailingComma, "a comma must be followed by another member, found '}'")
            }
        }
        guard offset < count else {
            throw error(.unexpectedEnd, "expected a key in an object, found the end of the input")
        }
        guard base[offset] == UInt8(ascii: "\"") else {
            throw error(.unexpectedCharacter, "expected a string key in an object, found \(Self.describe(base[offset]))")
        }
        lastKeyOffset = offset
        let key = try readString()
        skipWhitespace()
        guard offset < count else {
            throw error(.unexpectedEnd, "expected ':' after an object key, found the end of the input")
        }
        guard base[offset] == UInt8(ascii: ":") else {
            throw error(.unexpectedCharacter, "expected ':' after an object key, found \(Self.describe(base[offset]))")
        }
        offset += 1
        return key
    }
}
