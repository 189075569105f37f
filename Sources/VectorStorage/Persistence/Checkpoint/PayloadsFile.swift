/// `payloads.json`: `[[id, {payload}], ...]` in insertion order, the seed's exact shape. String ids
/// are JSON strings, integer ids JSON numbers.
enum PayloadsFile {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The result of reading: every readable row, and what was skipped.
    struct Contents {
        var rows: [(id: VectorID, payload: Payload)] = []
        /// Rows that could not be used (wrong shape), with their position.
        var skippedRows: [String] = []
        /// Ids that appeared more than once (the later row won).
        var duplicateIDs = 0
    }

    static func encode(ids: [VectorID], payloads: [Payload]) -> [UInt8] {
        var w = JSONWriter(capacity: 64 * ids.count + 2)
        w.beginArray()
        for i in ids.indices {
            if i > 0 { w.writeComma() }
            w.beginArray()
            w.writeID(ids[i])
            w.writeComma()
            w.writePayload(payloads[i])
            w.endArray()
        }
        w.endArray()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    /// Parses the file, row by row (no intermediate value per row). A row of the wrong shape is
    /// skipped and reported (one bad row does not lose the others); a file that is not a JSON array
    /// of rows throws.
    static func decode(_ raw: UnsafeRawBufferPointer) throws -> Contents {
        var contents = Contents()
        var p = JSONPullParser(raw)
        do {
            try p.beginArray()
            var row = 0
            while try p.nextElement() {
                defer { row += 1 }
                let start = p.mark()
                do {
                    if let (id, payload) = try readRow(&p, row: row, skipped: &contents.skippedRows) {
                        contents.rows.append((id, payload))
                    }
                } catch let error as JSONParseError where error.code != .unexpectedEnd {
                    // A row that is valid JSON of the wrong shape: step over it whole.
                    p.restore(start)
                    try p.skipValueLeniently()
                    contents.skippedRows.append("row \(row): \(error.message)")
                }
            }
            try p.finish()
        } catch let error as JSONParseError {
            throw ReadError(description: "\(error)")
        }
        return contents
    }

    /// One `[id, payload]` row; `nil` (and a note in `skipped`) for a row of the wrong shape.
    private static func readRow(_ p: inout JSONPullParser, row: Int, skipped: inout [String]) throws -> (VectorID, Payload)? {
        guard try p.peekKind() == .array else {
            try p.skipValue()
            skipped.append("row \(row): not an [id, payload] pair")
            return nil
        }
        try p.beginArray()
        guard try p.nextElement() else {
            skipped.append("row \(row): not an [id, payload] pair")
            return nil
        }
        var id: VectorID?
        switch try p.peekKind() {
        case .string: id = .string(try p.readString())
        case .number: id = try? .int(p.readInt64())
        default: try p.skipValue()
        }
        guard try p.nextElement() else {
            skipped.append("row \(row): not an [id, payload] pair")
            return nil
        }
        var payload: Payload?
        switch try p.peekKind() {
        case .object: payload = try p.readValue().objectValue
        case .null:
            try p.readNull()
            payload = [:]
        default: try p.skipValue()
        }
        var extra = false
        while try p.nextElement() {
            extra = true
            try p.skipValue()
        }
        guard let id else {
            skipped.append("row \(row): the id is neither a string nor an integer")
            return nil
        }
        guard let payload, !extra else {
            skipped.append(extra ? "row \(row): not an [id, payload] pair" : "row \(row): the payload of \(id) is not an object")
            return nil
        }
        return (id, payload)
    }
}
