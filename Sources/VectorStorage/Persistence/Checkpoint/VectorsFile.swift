/// `ann_vectors.bin`: the checkpoint's ids and original vectors in binary, so that opening a large
/// collection reads them in bulk instead of parsing tens of millions of floats from JSON, and so
/// that `get` returns vectors bit-for-bit even for cosine collections (whose FAISS index holds
/// normalised copies). All integers little-endian.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `VSVEC\0\0\u{1}` |
/// | 8 | 2 | format version (1) |
/// | 10 | 2 | header length (64) |
/// | 12 | 4 | dimension |
/// | 16 | 8 | row count |
/// | 24 | 8 | checkpoint sequence number |
/// | 32 | 8 | offset of the vectors (64-byte aligned) |
/// | 40 | 20 | reserved (0) |
/// | 60 | 4 | masked CRC32C of bytes 0..<60 |
/// | 64 | … | ids, one per row: u8 kind (0 string: u16 length + UTF-8; 1 integer: i64) |
/// | vectors offset | rows × dimension × 4 | binary32 floats, row-major |
/// | end − 4 | 4 | masked CRC32C of every byte before it |
enum VectorsFile {
    static let name = "ann_vectors.bin"
    static let magic: [UInt8] = Array("VSVEC".utf8) + [0, 0, 1]
    static let headerLength = 64

    struct Contents {
        var dimension: Int
        var checkpointLSN: UInt64
        var ids: [VectorID]
        /// The vectors, when copied (`copyVectors`); else `[]` and see ``vectorsOffset``.
        var vectors: [Float]
        /// Where the vectors start in the file (64-byte aligned).
        var vectorsOffset: Int
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes the file through `sink`, called with consecutive chunks.
    static func write(
        ids: [VectorID], vectors: UnsafeBufferPointer<Float>, dimension: Int, checkpointLSN: UInt64,
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        var idBytes = ByteWriter(capacity: ids.count * 12)
        for id in ids { WALRecordCodec.writeID(id, into: &idBytes) }
        let vectorsOffset = (headerLength + idBytes.bytes.count + 63) & ~63

        var header = ByteWriter(capacity: vectorsOffset)
        header.write(bytes: magic)
        header.write(UInt16(1))
        header.write(UInt16(headerLength))
        header.write(UInt32(dimension))
        header.write(UInt64(ids.count))
        header.write(checkpointLSN)
        header.write(UInt64(vectorsOffset))
        header.write(bytes: repeatElement(UInt8(0), count: 20))
        header.write(header.bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) })
        header.write(bytes: idBytes.bytes)
        header.write(bytes: repeatElement(UInt8(0), count: vectorsOffset - header.bytes.count))

        var crc: UInt32 = 0
        try header.bytes.withUnsafeBytes {
            crc = CRC32C.extend(crc, $0)
            try sink($0)
        }
        let raw = UnsafeRawBufferPointer(vectors)
        let chunk = 8 << 20
        var start = 0
        while start < raw.count {
            let piece = UnsafeRawBufferPointer(rebasing: raw[start..<min(start + chunk, raw.count)])
            crc = CRC32C.extend(crc, piece)
            try sink(piece)
            start += chunk
        }
        try withUnsafeBytes(of: CRC32C.mask(crc).littleEndian) { try sink($0) }
    }

    /// Reads a whole file.
    ///
    /// - Parameter verify: check the file's own checksum; `false` when the caller has just
    ///   matched the whole file against a recorded fingerprint (a stronger check).
    /// - Parameter copyVectors: copy the vectors into ``Contents/vectors``; `false` leaves them in
    ///   `raw`, at ``Contents/vectorsOffset``, for a caller that keeps `raw` alive.
    static func read(_ raw: UnsafeRawBufferPointer, verify: Bool = true, copyVectors: Bool = true) throws -> Contents {
        func fail(_ why: String) -> FormatError { FormatError(description: why) }
        guard raw.count >= headerLength + 4, raw.prefix(8).elementsEqual(magic) else {
            throw fail("not a VectorStorage vectors file (bad magic or too short)")
        }
        if verify {
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self))
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)]))
            guard CRC32C.mask(crc) == stored else { throw fail("checksum mismatch") }
        }
        var r = ByteReader(raw, offset: 8)
        do {
            guard try r.readUInt16() == 1 else { throw fail("unsupported version") }
            guard Int(try r.readUInt16()) == headerLength else { throw fail("bad header length") }
            let dimension = Int(try r.readUInt32())
            let count = try r.readUInt64()
            let lsn = try r.readUInt64()
            let vectorsOffset = try r.readUInt64()
            guard dimension > 0, dimension <= 65_536 else { throw fail("implausible dimension \(dimension)") }
            let (floats, o1) = Int(clamping: count).multipliedReportingOverflow(by: dimension)
            let (bytes, o2) = floats.multipliedReportingOverflow(by: 4)
            guard !o1, !o2, count <= UInt64(raw.count), vectorsOffset <= UInt64(raw.count),
                  Int(vectorsOffset) + bytes == raw.count - 4
            else { throw fail("row count \(count) does not fit the file size") }
            var idReader = ByteReader(
                UnsafeRawBufferPointer(rebasing: raw[0..<Int(vectorsOffset)]), offset: headerLength)
            var ids: [VectorID] = []
            ids.reserveCapacity(Int(count))
            for _ in 0..<count { ids.append(try WALRecordCodec.readID(&idReader)) }
            var vectors: [Float] = []
            if copyVectors {
                var vectorReader = ByteReader(raw, offset: Int(vectorsOffset))
                vectors = try vectorReader.readFloats(floats)
            }
            return Contents(
                dimension: dimension, checkpointLSN: lsn, ids: ids, vectors: vectors, vectorsOffset: Int(vectorsOffset))
        } catch let error as FormatError {
            throw error
        } catch {
            throw fail("truncated or malformed (\(error))")
        }
    }
}
