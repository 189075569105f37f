extension JSONValue {
    /// Parses one whole JSON document with the store's own codec: integer syntax that fits in an
    /// `Int64` (`2`, `-7`) gives ``int(_:)``; a fraction or an exponent (`2.0`, `1e2`, `-0.0`) or
    /// a larger integer gives ``double(_:)``, exactly as payloads are read back from disk.
    ///
    /// ```swift
    /// let value = try JSONValue(jsonText: #"{"year": 2024, "score": 2.0}"#)
    /// value["score"]  // .double(2.0)
    /// ```
    ///
    /// - Throws: ``JSONParseError`` naming the byte at fault (strict RFC 8259: no `NaN`, no
    ///   trailing commas, nothing but whitespace after the document; nesting up to 512 levels).
    public init(jsonText: some StringProtocol) throws {
        self = try Self.parse(Array(jsonText.utf8))
    }

    /// Parses one whole JSON document from UTF-8 bytes (a leading byte-order mark is skipped);
    /// see ``init(jsonText:)``.
    ///
    /// - Throws: ``JSONParseError``.
    public init(jsonBytes: some Sequence<UInt8>) throws {
        self = try Self.parse(jsonBytes)
    }

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

    /// The compact JSON text of this value as UTF-8 bytes, written by the store's own codec:
    /// object keys sorted by their UTF-8 bytes, integers as integers, doubles in the shortest form
    /// that reads back to the same bits and always with a fraction or an exponent (`2.0`,
    /// `-0.0`, `1e+16`), so ``init(jsonBytes:)`` gives back an equal value.
    ///
    /// - Precondition: every double is finite (payloads are validated to be).
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.writeValue(self)
        return writer.bytes
    }

    /// ``jsonBytes`` as a string.
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }
}
