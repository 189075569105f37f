extension JSONValue {
    /// Parses one whole JSON document (only whitespace may follow it) with ``JSONPullParser``.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text (a leading byte-order mark is skipped).
    ///   - maxDepth: the nesting limit (see ``JSONPullParser/readValue(maxDepth:)``).
    ///   - duplicateKeys: called for each duplicate object key (the last occurrence wins).
    /// - Throws: ``JSONParseError``.
    static func parse(
        _ bytes: some Sequence<UInt8>,
        maxDepth: Int = JSONPullParser.defaultMaxDepth,
        duplicateKeys: ((JSONPullParser.DuplicateKey) -> Void)? = nil
    ) throws -> JSONValue {
        let contiguous = Array(bytes)
        return try contiguous.withUnsafeBytes { raw in
            var parser = JSONPullParser(raw)
            parser.duplicateKeyHandler = duplicateKeys
            let value = try parser.readValue(maxDepth: maxDepth)
            try parser.finish()
            return value
        }
    }

    /// Parses a JSON document held in a string (see ``parse(_:maxDepth:duplicateKeys:)``).
    static func parse(_ text: String, maxDepth: Int = JSONPullParser.defaultMaxDepth) throws -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// The compact JSON text of this value, with sorted object keys (see
    /// ``JSONWriter/writeValue(_:)``).
    ///
    /// - Precondition: every double is finite.
    var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.writeValue(self)
        return writer.bytes
    }

    /// ``jsonBytes`` as a string.
    var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }
}
