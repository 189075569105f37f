/// Encodes operations as log records and decodes them back, bounds-checked.
enum WALRecordCodec {
    struct DecodingFailure: Error {
        var reason: String
    }

    /// Appends one complete record (header with checksum, then body) to `writer`.
    static func appendRecord(
        type: WALFormat.RecordType, lsn: UInt64, salt: UInt32, into writer: inout ByteWriter,
        body: (inout ByteWriter) -> Void
    ) {
        let start = writer.bytes.count
        writer.write(UInt32(0))  // checksum, patched below
        writer.write(UInt32(0))  // length, patched below
        writer.write(lsn)
        writer.write(type.rawValue)
        writer.write(UInt8(1))
        writer.write(UInt16(0))
        writer.write(UInt32(0))
        body(&writer)
        let length = writer.bytes.count - start - WALFormat.recordHeaderLength
        writer.patch(UInt32(length), at: start + 4)
        let crc = writer.bytes.withUnsafeBytes {
            WALFormat.recordChecksum(salt: salt, headerAndBody: UnsafeRawBufferPointer(rebasing: $0[start...]))
        }
        writer.patch(crc, at: start)
    }

    /// Appends the record of one operation.
    static func append(_ operation: WriteOperation, lsn: UInt64, salt: UInt32, into writer: inout ByteWriter) {
        switch operation {
        case .upsert(let entries):
            appendRecord(type: .upsert, lsn: lsn, salt: salt, into: &writer) { w in
                w.write(UInt32(entries.count))
                w.write(UInt32(entries.first?.vector.count ?? 0))
                for entry in entries {
                    writeID(entry.id, into: &w)
                    w.write(floats: entry.vector)
                    let lengthOffset = w.bytes.count
                    w.write(UInt32(0))
                    BinaryPayloadCodec.encode(entry.payload, into: &w)
                    w.patch(UInt32(w.bytes.count - lengthOffset - 4), at: lengthOffset)
                }
            }
        case .delete(let ids):
            appendRecord(type: .delete, lsn: lsn, salt: salt, into: &writer) { w in
                w.write(UInt32(ids.count))
                for id in ids { writeID(id, into: &w) }
            }
        case .clear:
            appendRecord(type: .clear, lsn: lsn, salt: salt, into: &writer) { _ in }
        }
    }

    /// Appends a checkpoint marker record (sequence number 0).
    static func append(_ marker: CheckpointMarker, salt: UInt32, into writer: inout ByteWriter) {
        appendRecord(type: .checkpointMarker, lsn: 0, salt: salt, into: &writer) { w in
            w.write(marker.checkpointLSN)
            w.write(UInt32(marker.files.count))
            for name in marker.files.keys.sorted() {
                let utf8 = Array(name.utf8)
                w.write(UInt8(utf8.count))
                w.write(bytes: utf8)
                w.write(marker.files[name]!.size)
                w.write(marker.files[name]!.crc32c)
            }
        }
    }

    /// The size of an operation's record, to refuse batches too large for one record.
    static func estimatedBodySize(_ operation: WriteOperation) -> Int {
        switch operation {
        case .upsert(let entries):
            return entries.reduce(8) { $0 + 8 + 4 * $1.vector.count + 4 + 64 + idSize($1.id) + 32 * $1.payload.count }
        case .delete(let ids): return ids.reduce(4) { $0 + idSize($1) }
        case .clear: return 0
        }
    }

    private static func idSize(_ id: VectorID) -> Int {
        if case .string(let s) = id { return 3 + s.utf8.count }
        return 9
    }

    static func writeID(_ id: VectorID, into writer: inout ByteWriter) {
        switch id {
        case .string(let s):
            writer.write(UInt8(0))
            let utf8 = Array(s.utf8)
            writer.write(UInt16(utf8.count))
            writer.write(bytes: utf8)
        case .int(let i):
            writer.write(UInt8(1))
            writer.write(i)
        }
    }

    static func readID(_ reader: inout ByteReader) throws -> VectorID {
        switch try reader.readUInt8() {
        case 0:
            let length = Int(try reader.readUInt16())
            guard let s = try reader.readString(count: length) else { throw DecodingFailure(reason: "invalid UTF-8 id") }
            return .string(s)
        case 1:
            return .int(try reader.readInt64())
        default:
            throw DecodingFailure(reason: "unknown id kind")
        }
    }

    /// Decodes the body of a record of `type`.
    static func decodeOperation(type: WALFormat.RecordType, body: UnsafeRawBufferPointer) throws -> WriteOperation {
        var r = ByteReader(body)
        let operation: WriteOperation
        switch type {
        case .upsert:
            let count = Int(try r.readUInt32())
            let dimension = Int(try r.readUInt32())
            guard count <= r.remaining, dimension <= 65_536 else { throw DecodingFailure(reason: "implausible counts") }
            var entries: [UpsertEntry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let id = try readID(&r)
                let vector = try r.readFloats(dimension)
                let payloadLength = Int(try r.readUInt32())
                var payloadReader = ByteReader(try r.readBytes(payloadLength))
                let payload = try BinaryPayloadCodec.decodePayload(&payloadReader)
                guard payloadReader.remaining == 0 else { throw DecodingFailure(reason: "payload length mismatch") }
                entries.append(UpsertEntry(id: id, vector: vector, payload: payload))
            }
            operation = .upsert(entries)
        case .delete:
            let count = Int(try r.readUInt32())
            guard count <= r.remaining else { throw DecodingFailure(reason: "implausible count") }
            var ids: [VectorID] = []
            ids.reserveCapacity(count)
            for _ in 0..<count { ids.append(try readID(&r)) }
            operation = .delete(ids)
        case .clear:
            operation = .clear
        case .checkpointMarker:
            throw DecodingFailure(reason: "a checkpoint marker is not an operation")
        }
        guard r.remaining == 0 else { throw DecodingFailure(reason: "trailing bytes in record body") }
        return operation
    }

    /// Decodes the body of a checkpoint marker.
    static func decodeMarker(body: UnsafeRawBufferPointer) throws -> CheckpointMarker {
        var r = ByteReader(body)
        let lsn = try r.readUInt64()
        let count = Int(try r.readUInt32())
        guard count <= 64 else { throw DecodingFailure(reason: "implausible file count") }
        var files: [String: FileFingerprint] = [:]
        for _ in 0..<count {
            let length = Int(try r.readUInt8())
            guard let name = try r.readString(count: length) else { throw DecodingFailure(reason: "invalid name") }
            files[name] = FileFingerprint(size: try r.readUInt64(), crc32c: try r.readUInt32())
        }
        guard r.remaining == 0 else { throw DecodingFailure(reason: "trailing bytes in marker") }
        return CheckpointMarker(checkpointLSN: lsn, files: files)
    }
}
