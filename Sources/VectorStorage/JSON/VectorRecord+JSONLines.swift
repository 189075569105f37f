extension VectorRecord {
    /// Parses one JSON Lines record, `{"id": "doc1", "vector": [0.1, ...], "payload": {...}}`,
    /// with the store's codec: floats are read directly from their text (correctly rounded, so
    /// the text ``jsonLine`` writes reads back bit-for-bit), payload numbers keep their kind
    /// (`2` an integer, `2.0` a double). `payload` may be missing (empty); other members are
    /// ignored. Nothing is validated beyond the shape (see ``InMemoryVectorStore/insert(_:ids:payloads:)``).
    ///
    /// - Throws: ``JSONParseError`` for malformed JSON (its offset counts from the start of
    ///   `line`), ``VectorStoreError/invalidArgument(name:value:reason:)`` for a missing or
    ///   mistyped member.
    public init(jsonLine line: some Collection<UInt8>) throws {
        let bytes = Array(line)
        do {
            self = try bytes.withUnsafeBytes { try Self.parse(line: $0) }
        } catch let error as ShapeError {
            throw VectorStoreError.invalidArgument(name: error.member, value: "in a JSON Lines record", reason: error.reason)
        }
    }

    /// A record whose JSON is well formed but whose members are not what a record holds.
    struct ShapeError: Error, CustomStringConvertible {
        var member: String
        var reason: String
        var description: String { "\(member) \(reason)" }
    }

    /// Parses one record; throws ``JSONParseError`` or ``ShapeError``.
    static func parse(line: UnsafeRawBufferPointer) throws -> VectorRecord {
        func bad(_ member: String, _ reason: String) -> ShapeError { ShapeError(member: member, reason: reason) }
        var p = JSONPullParser(line)
        var id: VectorID?
        var vector: [Float]?
        var payload: Payload = [:]
        try p.beginObject()
        while let key = try p.nextKey() {
            switch key {
            case "id":
                switch try p.peekKind() {
                case .string: id = .string(try p.readString())
                case .number: id = .int(try p.readInt64())
                default: throw bad("\"id\"", "must be a string or an integer")
                }
            case "vector":
                var floats: [Float] = []
                _ = try p.readFloatArray(appendingTo: &floats)
                vector = floats
            case "payload":
                switch try p.readValue() {
                case .object(let o): payload = o
                case .null: payload = [:]
                default: throw bad("\"payload\"", "must be an object")
                }
            default:
                try p.skipValue()
            }
        }
        try p.finish()
        guard let id else { throw bad("\"id\"", "is missing") }
        guard let vector else { throw bad("\"vector\"", "is missing") }
        return VectorRecord(id: id, vector: vector, payload: payload)
    }

    /// The record as one line of JSON (without the newline), in the shape ``init(jsonLine:)``
    /// reads: integer ids as JSON numbers, floats in the shortest text that reads back to the
    /// same bits, payload keys sorted.
    ///
    /// - Precondition: every component and payload number is finite (stored values are).
    public var jsonLine: [UInt8] {
        var w = JSONWriter(capacity: vector.count * 12 + 64)
        w.beginObject()
        w.writeKey("id")
        w.writeID(id)
        w.writeComma()
        w.writeKey("vector")
        w.writeFloats(vector)
        w.writeComma()
        w.writeKey("payload")
        w.writePayload(payload)
        w.endObject()
        return w.bytes
    }

    /// Parses a JSON array of numbers (`[0.1, -2, 3e-5]`) into floats, each correctly rounded
    /// from its text.
    ///
    /// - Throws: ``JSONParseError`` for anything else, or a number beyond `Float`'s range.
    public static func parseVector(json: some Collection<UInt8>) throws -> [Float] {
        let bytes = Array(json)
        return try bytes.withUnsafeBytes { raw in
            var p = JSONPullParser(raw)
            var floats: [Float] = []
            _ = try p.readFloatArray(appendingTo: &floats)
            try p.finish()
            return floats
        }
    }
}
