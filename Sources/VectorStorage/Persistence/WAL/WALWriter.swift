import Foundation

/// Appends records to the active log segment. Used only by the collection's writer thread (and by
/// recovery before that thread starts), so it needs no locking of its own.
final class WALWriter: WriteLog, @unchecked Sendable {
    let directory: Directory
    private var file: PosixFile
    /// The active segment's file name and first sequence number.
    private(set) var segmentName: String
    private(set) var segmentFirstLSN: UInt64
    private var salt: UInt32
    /// Where the next record goes: the end of the last good record.
    private(set) var endOffset: Int64
    /// Bytes of records appended since the last checkpoint started.
    private(set) var bytesSinceCheckpoint: Int = 0
    /// The first failed flush of a segment (by an append, a checkpoint's roll or its marker):
    /// once set, the log's unflushed pages may be gone while later ones would still reach the
    /// disk, so the writer refuses every later write. Read from any thread.
    private let failedFlush = LockedValue<VectorStoreError?>(nil)

    var flushFailure: VectorStoreError? { failedFlush.current }

    private func flushFailed(_ error: any Error) -> VectorStoreError {
        let failure = (error as? VectorStoreError) ?? .persistenceFailure(
            path: file.path, operation: "fsync", errno: nil, reason: "\(error)")
        failedFlush.withLock { if $0 == nil { $0 = failure } }
        return failure
    }

    private init(directory: Directory, file: PosixFile, name: String, firstLSN: UInt64, salt: UInt32, endOffset: Int64) {
        self.directory = directory
        self.file = file
        self.segmentName = name
        self.segmentFirstLSN = firstLSN
        self.salt = salt
        self.endOffset = endOffset
    }

    /// Creates a new, empty segment whose first record will have sequence number `firstLSN`:
    /// header written and flushed, then the directory flushed, before anything is appended.
    static func create(in directory: Directory, firstLSN: UInt64) throws -> WALWriter {
        let (file, name, salt) = try createSegment(in: directory, firstLSN: firstLSN)
        return WALWriter(
            directory: directory, file: file, name: name, firstLSN: firstLSN, salt: salt,
            endOffset: Int64(WALFormat.segmentHeaderLength))
    }

    /// Continues an existing segment after its last good record.
    static func resume(in directory: Directory, segment: WALSegmentInfo) throws -> WALWriter {
        let file = try PosixFile.openForWriting(directory.file(segment.name), create: false)
        return WALWriter(
            directory: directory, file: file, name: segment.name, firstLSN: segment.firstLSN, salt: segment.salt,
            endOffset: segment.endOffset)
    }

    private static func createSegment(in directory: Directory, firstLSN: UInt64) throws -> (PosixFile, String, UInt32) {
        let name = WALFormat.segmentName(firstLSN: firstLSN)
        let salt = UInt32.random(in: 1...UInt32.max)
        let header = WALFormat.segmentHeader(salt: salt, firstLSN: firstLSN)
        let file = try PosixFile.openForWriting(directory.file(name), create: true, truncate: true)
        do {
            try header.withUnsafeBytes { try file.write($0, at: 0) }
            try file.sync()
            try directory.sync()
        } catch {
            // Leave no half-made segment behind (an empty one between two good ones would read as
            // damage at the next open); the active segment stays the previous one.
            file.close()
            try? directory.remove(name)
            throw error
        }
        return (file, name, salt)
    }

    func append(_ records: [(lsn: UInt64, operation: WriteOperation)]) throws(LogFailure) {
        var writer = ByteWriter()
        for record in records {
            if WALRecordCodec.estimatedBodySize(record.operation) > WALFormat.maxRecordBodyLength {
                throw .definite(.invalidArgument(
                    name: "batch", value: "\(record.operation.size) entries",
                    reason: "larger than one log record may hold (\(WALFormat.maxRecordBodyLength >> 20) MiB); split it"))
            }
            WALRecordCodec.append(record.operation, lsn: record.lsn, salt: salt, into: &writer)
        }
        try write(writer.bytes)
    }

    /// Appends a checkpoint marker and flushes it.
    func appendMarker(_ marker: CheckpointMarker) throws(LogFailure) {
        var writer = ByteWriter()
        WALRecordCodec.append(marker, salt: salt, into: &writer)
        try write(writer.bytes)
        try sync()
    }

    private func write(_ bytes: [UInt8]) throws(LogFailure) {
        KillPoints.reach("wal.append.beforeWrite")
        do {
            try bytes.withUnsafeBytes { try file.write($0, at: endOffset) }
        } catch {
            // Trim whatever part of the records reached the file, so the log ends at the last good
            // record and later appends do not follow garbage.
            let failure = (error as? VectorStoreError) ?? .persistenceFailure(
                path: file.path, operation: "write", errno: nil, reason: "\(error)")
            do {
                try file.truncate(to: endOffset)
            } catch {
                throw .indeterminate(failure)
            }
            throw .definite(failure)
        }
        endOffset += Int64(bytes.count)
        bytesSinceCheckpoint += bytes.count
        KillPoints.reach("wal.append.afterWrite")
    }

    func sync() throws(LogFailure) {
        // Never retry a failed flush: on Linux the error is reported once and the pages it
        // concerned may be gone, so a retry that "succeeds" would claim durability it cannot give.
        if let failed = flushFailure { throw .indeterminate(Self.refusal(after: failed)) }
        do {
            try file.syncData()
        } catch {
            throw .indeterminate(flushFailed(error))
        }
        KillPoints.reach("wal.sync.after")
    }

    /// Starts a new segment at `firstLSN` (the first record after a checkpoint's) and makes it
    /// the active one. The previous segment is flushed first.
    func roll(firstLSN: UInt64) throws {
        if let failed = flushFailure { throw Self.refusal(after: failed) }
        do {
            try file.sync()
        } catch {
            throw flushFailed(error)
        }
        // Nothing but markers since the last roll: the active segment already starts here.
        guard firstLSN != segmentFirstLSN else {
            bytesSinceCheckpoint = 0
            return
        }
        let (newFile, name, newSalt) = try Self.createSegment(in: directory, firstLSN: firstLSN)
        file.close()
        file = newFile
        segmentName = name
        segmentFirstLSN = firstLSN
        salt = newSalt
        endOffset = Int64(WALFormat.segmentHeaderLength)
        bytesSinceCheckpoint = 0
        KillPoints.reach("wal.roll.afterCreate")
    }

    /// Flushes and closes the active segment (without a flush after a failed one).
    func close() throws {
        defer { file.close() }
        if let failed = flushFailure { throw Self.refusal(after: failed) }
        try file.sync()
    }

    private static func refusal(after failed: VectorStoreError) -> VectorStoreError {
        .writesDisabled(reason: "an earlier flush of the log failed (\(failed)); reconnect to recover from disk")
    }
}
