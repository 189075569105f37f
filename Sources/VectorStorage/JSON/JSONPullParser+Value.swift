extension JSONPullParser {
    /// The nesting limit ``readValue(maxDepth:)`` uses by default.
    static let defaultMaxDepth = 512

    /// Reads the next value whole.
    ///
    /// Numbers become `.int` when written as integers that fit in an `Int64`, `.double` otherwise
    /// (see ``readNumberValue()``).
    ///
    /// **Depth.** `maxDepth` is the number of containers that may be open at once inside this value:
    /// a scalar needs 0, `[1]` and `{}` need 1, `[[1]]` needs 2. The parser is iterative, so a limit
    /// of any size is safe; a document nested deeper than the limit throws
    /// ``JSONParseError/Code/depthLimitExceeded`` at the first bracket too many. Keep the limit
    /// modest all the same: Swift *releases* nested enum values recursively, and a ``JSONValue``
    /// nested about 10,000 deep overflows a 512 KiB thread stack when it is freed (100,000 deep
    /// overflows the 8 MiB main thread). The default, 512, is safe everywhere.
    ///
    /// **Duplicate keys.** When an object repeats a key, the *last* occurrence wins (as in
    /// JavaScript and Python); the earlier member is dropped, ``duplicateKeyCount`` is incremented
    /// and ``duplicateKeyHandler`` is called, so the caller can log it. Keys are Swift strings, which
    /// compare by canonical equivalence: `"café"` spelled NFC and NFD are the *same* key, reported as
    /// a duplicate with ``DuplicateKey/isCanonicalEquivalent`` set; the winning spelling is kept.
    ///
    /// - Throws: ``JSONParseError`` for any syntax error, an out-of-range number, or nesting beyond
    ///   `maxDepth`.
    mutating func readValue(maxDepth: Int = JSONPullParser.defaultMaxDepth) throws -> JSONValue {
        var stack: [ValueFrame] = []
        while true {
            var value: JSONValue
            switch try peekKind() {
            case .object:
                guard stack.count < maxDepth else { throw depthError(maxDepth) }
                try beginObject()
                if let key = try nextKey() {
                    stack.append(ValueFrame(isObject: true, key: key, keyOffset: lastKeyOffset))
                    continue
                }
                value = .object([:])
            case .array:
                guard stack.count < maxDepth else { throw depthError(maxDepth) }
                try beginArray()
                if try nextElement() {
                    stack.append(ValueFrame(isObject: false))
                    continue
                }
                value = .array([])
            case .string: value = .string(try readString())
            case .number: value = try readNumberValue()
            case .bool: value = .bool(try readBool())
            case .null:
                try readNull()
                value = .null
            }
            // Attach the finished value to its parent; close every container that ends here.
            while let top = stack.indices.last {
                if stack[top].isObject {
                    insert(value, into: &stack[top])
                    if let key = try nextKey() {
                        stack[top].key = key
                        stack[top].keyOffset = lastKeyOffset
                        break
                    }
                    value = .object(stack.removeLast().members)
                } else {
                    stack[top].elements.append(value)
                    if try nextElement() { break }
                    value = .array(stack.removeLast().elements)
                }
            }
            if stack.isEmpty { return value }
        }
    }

    /// Skips the next value, checking it as strictly as ``readValue(maxDepth:)`` would (but without
    /// converting numbers or limiting depth). Iterative: any nesting depth is safe.
    ///
    /// - Throws: ``JSONParseError`` for any syntax error.
    mutating func skipValue() throws {
        let baseDepth = containers.count
        while true {
            switch try peekKind() {
            case .object:
                try beginObject()
                if try nextKey() != nil { continue }
            case .array:
                try beginArray()
                if try nextElement() { continue }
            case .string: try skipString()
            case .number: _ = try scanNumber()
            case .bool: _ = try readBool()
            case .null: try readNull()
            }
            while containers.count > baseDepth {
                let hasMore = containers[containers.count - 1].isArray ? try nextElement() : try nextKey() != nil
                if hasMore { break }
            }
            if containers.count == baseDepth { return }
        }
    }

    /// Skips the next value by its brackets and quotes alone, without validating its contents; use
    /// it after ``restore(_:)`` to step over a record that failed to parse and go on with the next
    /// one.
    ///
    /// Stops before a `,`, `]` or `}` that belongs to the enclosing container.
    ///
    /// - Throws: ``JSONParseError/Code/unexpectedEnd`` if the input ends inside the value.
    mutating func skipValueLeniently() throws {
        skipWhitespace()
        let start = offset
        var depth = 0
        while offset < count {
            switch base[offset] {
            case UInt8(ascii: "\""):
                var i = offset + 1
                while i < count && base[i] != UInt8(ascii: "\"") {
                    i += base[i] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard i < count else {
                    offset = count
                    throw JSONParseError(.unexpectedEnd, at: start, "the input ends inside this value")
                }
                offset = i + 1
                if depth == 0 { return }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                offset += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return }
                depth -= 1
                offset += 1
                if depth == 0 { return }
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 { return }
                offset += 1
            default:
                offset += 1
            }
        }
        if depth > 0 {
            throw JSONParseError(.unexpectedEnd, at: start, "the input ends inside this value")
        }
    }

    // MARK: Helpers

    /// One open container of ``readValue(maxDepth:)``.
    private struct ValueFrame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [String: JSONValue] = [:]
        var key = ""
        var keyOffset = 0
    }

    private mutating func insert(_ value: JSONValue, into frame: inout ValueFrame) {
        if let existing = frame.members.index(forKey: frame.key) {
            duplicateKeyCount += 1
            let previous = frame.members.keys[existing]
            duplicateKeyHandler?(DuplicateKey(key: frame.key, previousSpelling: previous, offset: frame.keyOffset))
            // Remove first so the dictionary keeps the winning spelling of the key.
            frame.members.remove(at: existing)
        }
        frame.members[frame.key] = value
    }

    private func depthError(_ maxDepth: Int) -> JSONParseError {
        error(.depthLimitExceeded, "containers are nested deeper than the limit of \(maxDepth)")
    }
}
