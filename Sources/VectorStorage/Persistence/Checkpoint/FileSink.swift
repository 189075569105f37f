/// Streams bytes into a file at increasing offsets while computing the file's fingerprint
/// (size and CRC32C), so a checkpoint file is checksummed as it is written, not read back.
struct FileSink {
    let file: PosixFile
    private(set) var size: UInt64 = 0
    private(set) var crc: UInt32 = 0

    init(file: PosixFile) { self.file = file }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try file.write(bytes, at: Int64(size))
        crc = CRC32C.extend(crc, bytes)
        size += UInt64(bytes.count)
    }

    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    var fingerprint: FileFingerprint { FileFingerprint(size: size, crc32c: crc) }
}

extension FileFingerprint {
    /// The fingerprint of bytes in memory.
    init(of bytes: UnsafeRawBufferPointer) {
        self.init(size: UInt64(bytes.count), crc32c: CRC32C.checksum(bytes))
    }
}

extension Directory {
    /// Writes `name`'s temporary file (see ``Directory/temporaryName(for:)``) completely and
    /// flushes it, without renaming it yet; returns the content's fingerprint.
    func writeTemporary(_ name: String, _ write: (inout FileSink) throws -> Void) throws -> FileFingerprint {
        let temporary = Directory.temporaryName(for: name)
        do {
            let file = try PosixFile.openForWriting(self.file(temporary), create: true, truncate: true)
            defer { file.close() }
            var sink = FileSink(file: file)
            try write(&sink)
            try file.sync()
            return sink.fingerprint
        } catch {
            try? remove(temporary)
            throw error
        }
    }
}
