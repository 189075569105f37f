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

    /// Parses the file. A row of the wrong shape is skipped and reported (one bad row does not
    /// lose the others); a file that is not a JSON array of rows throws.
    static func decode(_ raw: UnsafeRawBufferPointer) throws -> Contents {
        var contents = Contents()
        var p = JSONPullParser(raw)
        do {
            try p.beginArray()
            var row = 0
            while try p.nextElement() {
                defer { row += 1 }
                let value = try p.readValue()
                guard case .array(let pair) = value, pair.count == 2 else {
                    contents.skippedRows.append("row \(row): not an [id, payload] pair")
                    continue
                }
                let id: VectorID
                switch pair[0] {
                case .string(let s): id = .string(s)
                case .int(let i): id = .int(i)
                default:
                    contents.skippedRows.append("row \(row): the id is neither a string nor an integer")
                    continue
                }
                switch pair[1] {
                case .object(let payload): contents.rows.append((id, payload))
                case .null: contents.rows.append((id, [:]))
                default: contents.skippedRows.append("row \(row): the payload of \(id) is not an object")
                }
            }
            try p.finish()
        } catch let error as JSONParseError {
            throw ReadError(description: "\(error)")
        }
        return contents
    }
}
