import Foundation
import VectorIndex

extension InMemoryVectorStore {
    /// Writes every vector as JSON Lines, oldest first: one object per line,
    /// `{"id": "doc1", "vector": [0.1, ...], "payload": {...}}` (integer ids as JSON numbers).
    /// Floats are written so they read back bit-for-bit. The file is written atomically.
    ///
    /// - Returns: how many vectors were written.
    /// - Throws: ``VectorStoreError/notConnected(collection:)`` and file-system errors.
    @discardableResult
    public nonisolated func exportJSONL(to path: String) async throws -> Int {
        let (bytes, count) = try readState { state -> ([UInt8], Int) in
            var w = JSONWriter(capacity: state.count * (dimension * 10 + 64))
            let slots = state.slotsInInsertionOrder()
            for slot in slots {
                // The same line as `VectorRecord.jsonLine`, without copying each vector out.
                w.beginObject()
                w.writeKey("id")
                w.writeID(state.ids[slot]!)
                w.writeComma()
                w.writeKey("vector")
                state.index.withVector(at: slot) { w.writeFloats($0) }
                w.writeComma()
                w.writeKey("payload")
                w.writePayload(state.payloads[slot])
                w.endObject()
                w.bytes.append(UInt8(ascii: "\n"))
            }
            return (w.bytes, slots.count)
        }
        let url = URL(fileURLWithPath: path)
        let directory = Directory(url.deletingLastPathComponent().path)
        try directory.writeAtomically(url.lastPathComponent) { file in
            try bytes.withUnsafeBytes { try file.write($0, at: 0) }
        }
        return count
    }

    /// Reads JSON Lines written by ``exportJSONL(to:)`` (or by hand: `id` a string or an integer,
    /// `vector` an array of numbers, `payload` an optional object) and upserts them in batches.
    /// Every line is parsed and validated (an id may appear once) before anything is inserted.
    ///
    /// - Returns: how many vectors were inserted or replaced.
    /// - Throws: ``VectorStoreError/invalidArgument(name:value:reason:)`` naming the first bad line,
    ///   and the errors of ``insert(_:ids:payloads:)``.
    @discardableResult
    public func importJSONL(from path: String, batchSize: Int = 1000) async throws -> Int {
        let bytes = try PosixFile.openForReading(path).readAll()
        var vectors: [[Float]] = []
        var ids: [VectorID] = []
        var payloads: [Payload] = []
        var lineNumber = 0
        try bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                var end = start
                while end < raw.count && raw[end] != UInt8(ascii: "\n") { end += 1 }
                lineNumber += 1
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                func bad(_ reason: String) -> VectorStoreError {
                    .invalidArgument(name: "line", value: "\(lineNumber) of \(path)", reason: reason)
                }
                let record: VectorRecord
                do {
                    record = try VectorRecord.parse(line: line)
                } catch let error as JSONParseError {
                    throw bad("\(error)")
                } catch let error as VectorRecord.ShapeError {
                    throw bad(error.description)
                }
                ids.append(record.id)
                vectors.append(record.vector)
                payloads.append(record.payload)
            }
        }
        // Validate the whole file before the first batch goes in.
        try InputValidation.validateBatch(vectors: vectors, ids: ids, payloads: payloads, dimension: dimension)
        var done = 0
        while done < ids.count {
            let end = min(done + max(batchSize, 1), ids.count)
            try await insert(Array(vectors[done..<end]), ids: Array(ids[done..<end]), payloads: Array(payloads[done..<end]))
            done = end
        }
        return ids.count
    }
}
