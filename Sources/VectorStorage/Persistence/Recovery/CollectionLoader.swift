#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import VectorIndex

/// Opens a persistence directory: reads the checkpoint files and the log, decides what can be
/// trusted, rebuilds the in-memory collection and replays the log over it.
///
/// Rules:
/// - A checkpoint file is trusted when its fingerprint matches the one `ann_metadata.json`
///   records, or one a checkpoint marker in the log announced (a crash between a checkpoint's
///   renames leaves some files newer than the metadata). The seed's files (no fingerprints) are
///   trusted if they parse.
/// - Every log operation after the oldest trusted file's checkpoint is replayed; operations are
///   blind writes, so replaying over newer files changes nothing that is already there.
/// - A file that fails its fingerprint or does not parse is moved aside
///   (`<name>.corrupt-<timestamp>`), never deleted, and the collection opens with what is still
///   readable — but only if some of the stored data *is* readable: a directory whose data exists
///   and cannot be read throws instead of opening empty (``InMemoryVectorStore/repair()`` then
///   moves the files aside and opens with what is left).
/// - A file replaced by a directory, FIFO, socket or symbolic link is a typed error, never a hang.
struct CollectionLoader {
    let directory: Directory
    let config: VectorStoreConfig
    let logger: Logger
    let salvage: Bool

    /// What the loader decided, to be carried out once it is sure the open succeeds.
    struct Outcome {
        /// The collection as the checkpoint files hold it (rows in insertion order), or `nil` when
        /// there are no stored vectors.
        var rows: RecoveredRows?
        /// The log records to replay over `rows`, in order (every one after `baseLSN`).
        var replay: [WALRecord]
        /// The sequence number `rows` stand at.
        var baseLSN: UInt64
        /// The highest sequence number known to exist: the collection stands there once replayed.
        var highestLSN: UInt64
        var nextLSN: UInt64 { highestLSN + 1 }
        var scan: WALScan
        var quarantine: [String] = []
        var warnings: [String] = []
        /// How the collection was read, for humans: files used, graph loaded or rebuilt, records replayed.
        var summary = ""
        /// How long each phase of the open took.
        var clock = PhaseClock()
    }

    private struct VectorSource {
        var ids: [VectorID]
        var vectors: FloatRows
        var lsn: UInt64
        var from: String
    }

    func load() throws -> Outcome {
        guard salvage else { return try load(salvaging: false) }
        // Repairing: first as a normal open, which already copes with damage that costs nothing
        // (in log records a checkpoint holds); only if that refuses, salvage what precedes the
        // first damage.
        if let outcome = try? load(salvaging: false) { return outcome }
        return try load(salvaging: true)
    }

    private func load(salvaging salvage: Bool) throws -> Outcome {
        var clock = PhaseClock()
        let names = try directory.entries()
        // Leftovers of an interrupted checkpoint (ours by name; only regular files are removed).
        for name in names where Directory.isTemporary(name) && directory.type(of: name) == S_IFREG_VALUE {
            try directory.remove(name)
        }
        let present = Set(names)
        for name in CheckpointFiles.renameOrder + [DirectoryLock.fileName] {
            if let type = directory.type(of: name), type != S_IFREG_VALUE {
                throw VectorStoreError.corruptFile(
                    path: directory.file(name), reason: "it is \(fileTypeName(type)), not a regular file")
            }
        }
        var quarantine: [String] = []
        var warnings: [String] = []

        // 1. The metadata: names the collection, its dimension, the trusted fingerprints.
        var meta: CheckpointMetadata?
        var metadataPresent = false
        if present.contains(CheckpointFiles.metadata) {
            // Read again (rarely) if its inline vectors turn out to be needed: holding a copy of a
            // file that can be hundreds of megabytes through the whole open costs more.
            let bytes = try PosixFile.openForReading(directory.file(CheckpointFiles.metadata)).readAllLarge()
            metadataPresent = true
            do {
                meta = try CheckpointMetadata.decode(bytes.bytes, loadVectors: false)
            } catch {
                quarantine.append(CheckpointFiles.metadata)
                warnings.append("ann_metadata.json cannot be used: \(error)")
            }
        }
        if let meta {
            if let name = meta.collectionName, name != config.collectionName {
                throw VectorStoreError.collectionMismatch(expected: config.collectionName, found: name, path: directory.path)
            }
            if meta.dimension != config.dimension {
                throw VectorStoreError.invalidConfiguration(
                    field: "dimension", value: String(config.dimension),
                    reason: "the collection stored in \(directory.path) has dimension \(meta.dimension)")
            }
            if let version = meta.formatVersion, version > CheckpointMetadata.formatVersion {
                throw VectorStoreError.unsupportedFormat(path: directory.file(CheckpointFiles.metadata), version: version)
            }
        }

        clock.lap("metadata")
        // 2. The log.
        let scan = try WALReader.scan(directory, names: names, salvage: salvage)
        clock.lap("log")
        var generations: [(lsn: UInt64, files: [String: FileFingerprint])] = []
        if let meta, meta.isOurs { generations.append((meta.checkpointLSN, meta.files)) }
        for marker in scan.markers where marker.checkpointLSN >= (meta?.checkpointLSN ?? 0) {
            generations.append((marker.checkpointLSN, marker.files))
        }
        /// The checkpoint a file belongs to, by its fingerprint; `nil` if none claims it.
        func generation(of name: String, _ bytes: UnsafeRawBufferPointer) -> UInt64? {
            let fingerprint = FileFingerprint(of: bytes)
            return generations.last { $0.files[name] == fingerprint }?.lsn
        }
        func generation(of name: String, _ bytes: [UInt8]) -> UInt64? {
            bytes.withUnsafeBytes { generation(of: name, $0) }
        }
        let fingerprinted = !generations.isEmpty

        // 3. The vectors: the binary file if trusted, else the metadata's inline copy.
        var source: VectorSource?
        var vectorsExpected = meta.map { $0.vectorCount > 0 } ?? metadataPresent
        if present.contains(VectorsFile.name) {
            vectorsExpected = true
            let file = try PosixFile.openForReading(directory.file(VectorsFile.name)).readAllLarge()
            let gen = generation(of: VectorsFile.name, file.bytes)
            if gen != nil || !fingerprinted {
                do {
                    let contents = try VectorsFile.read(file.bytes, verify: gen == nil, copyVectors: false)
                    if contents.dimension != config.dimension {
                        throw VectorsFile.FormatError(description: "dimension \(contents.dimension), expected \(config.dimension)")
                    }
                    source = VectorSource(
                        ids: contents.ids,
                        vectors: .file(file, offset: contents.vectorsOffset, count: contents.ids.count * contents.dimension),
                        lsn: gen ?? contents.checkpointLSN, from: VectorsFile.name)
                } catch {
                    quarantine.append(VectorsFile.name)
                    warnings.append("\(VectorsFile.name) cannot be used: \(error)")
                }
            } else {
                quarantine.append(VectorsFile.name)
                warnings.append("\(VectorsFile.name) does not match any checkpoint's checksum")
            }
        }
        if source == nil, var meta, !quarantine.contains(CheckpointFiles.metadata) {
            do {
                let bytes = try PosixFile.openForReading(directory.file(CheckpointFiles.metadata)).readAllLarge()
                meta = try CheckpointMetadata.decode(bytes.bytes, loadVectors: true)
                if let ids = meta.inlineIDs, let vectors = meta.inlineVectors {
                    source = VectorSource(ids: ids, vectors: .array(vectors), lsn: meta.checkpointLSN, from: CheckpointFiles.metadata)
                }
            } catch {
                quarantine.append(CheckpointFiles.metadata)
                warnings.append("the vectors in ann_metadata.json cannot be used: \(error)")
            }
        }

        clock.lap("vectors")
        // 4. The payloads.
        var payloads: [VectorID: Payload] = [:]
        var payloadLSN: UInt64?
        var payloadsExpected = false
        if present.contains(CheckpointFiles.payloads) {
            payloadsExpected = true
            let bytes = try PosixFile.openForReading(directory.file(CheckpointFiles.payloads)).readAll()
            let gen = generation(of: CheckpointFiles.payloads, bytes)
            if gen != nil || !fingerprinted || meta?.files[CheckpointFiles.payloads] == nil {
                do {
                    let contents = try bytes.withUnsafeBytes { try PayloadsFile.decode($0) }
                    for row in contents.rows {
                        if payloads.updateValue(row.payload, forKey: row.id) != nil {
                            warnings.append("payloads.json lists \(row.id.debugDescription) more than once; the last row wins")
                        }
                    }
                    warnings.append(contentsOf: contents.skippedRows.map { "payloads.json \($0) was skipped" })
                    // Rows were unusable: keep the original aside (the next checkpoint rewrites the
                    // file from what could be read, and must not be the end of those rows' bytes).
                    if !contents.skippedRows.isEmpty { quarantine.append(CheckpointFiles.payloads) }
                    payloadLSN = gen ?? source?.lsn ?? 0
                } catch {
                    quarantine.append(CheckpointFiles.payloads)
                    warnings.append("payloads.json cannot be used: \(error)")
                }
            } else {
                quarantine.append(CheckpointFiles.payloads)
                warnings.append("payloads.json does not match any checkpoint's checksum")
            }
        }

        clock.lap("payloads")
        // 5. The graph, when it belongs to the same checkpoint as the vectors.
        var graph: HNSWGraphLayout?
        if config.annAlgorithm == .hnsw, let source, source.from == VectorsFile.name,
           present.contains(CheckpointFiles.index), fingerprinted
        {
            let file = try PosixFile.openForReading(directory.file(CheckpointFiles.index)).readAllLarge()
            let gen = generation(of: CheckpointFiles.index, file.bytes)
            if gen == source.lsn {
                do {
                    let contents = try FaissIndexReader.read(file.bytes, includeVectors: false)
                    if contents.count == source.ids.count, contents.dimension == config.dimension {
                        graph = contents.graph
                    }
                } catch {
                    quarantine.append(CheckpointFiles.index)
                    warnings.append("ann_index.faiss cannot be used (the graph is rebuilt): \(error)")
                }
            } else if gen == nil {
                quarantine.append(CheckpointFiles.index)
                warnings.append("ann_index.faiss does not match any checkpoint's checksum (the graph is rebuilt)")
            }
        }

        clock.lap("graph file")
        // 6. A part of the checkpoint that exists but cannot be read (vectors or payloads) is
        //    recovered from the log when the log still holds the whole history: replay it all
        //    (harmless over newer files: every record is a blind write). Otherwise: refuse to open
        //    without the vectors (never "empty" because unreadable) unless repairing; without the
        //    payloads, open with the vectors (the rule above), the lost payloads reported.
        let lostVectors = vectorsExpected && source == nil
        let lostPayloads = payloadsExpected && payloadLSN == nil
        let logStart = scan.segments.first?.firstLSN
        var baseLSN = min(source?.lsn ?? payloadLSN ?? 0, payloadLSN ?? source?.lsn ?? 0)
        if (lostVectors || lostPayloads), let logStart, logStart <= 1, scan.gaps.isEmpty {
            baseLSN = 0
            warnings.append("rebuilt \(lostVectors ? "the vectors" : "the payloads") from the log, which holds the whole history")
        } else {
            if lostVectors && !salvage {
                let files = quarantine.isEmpty ? "the checkpoint files" : quarantine.joined(separator: ", ")
                throw VectorStoreError.corruptFile(
                    path: directory.path,
                    reason: "the stored vectors cannot be read (\(files)) and the log does not hold them; nothing was "
                        + "changed. Call repair() to move the damaged files aside and open with what remains")
            }
            if lostVectors { warnings.append("the stored vectors could not be read; opened without them") }
            if lostPayloads, let source {
                warnings.append("the payloads of \(source.ids.count) vectors could not be read and the log does not hold "
                    + "them; those it does not rewrite are empty")
            }
        }
        // The log must hold everything after the state used.
        if let logStart, logStart > baseLSN + 1 {
            let message = "log records \(baseLSN + 1) to \(logStart - 1) are missing"
            if !salvage { throw VectorStoreError.corruptFile(path: directory.path, reason: message) }
            warnings.append(message)
        }
        // Unreadable stretches inside the log matter only if they hold records after that state.
        for gap in scan.gaps {
            if gap.resumesAt > baseLSN + 1 { throw gap.error }  // repair() salvages the prefix before it
            warnings.append("\(gap.error) It holds only records \(gap.lastGood + 1) to \(gap.resumesAt - 1), "
                + "which the checkpoint (sequence \(baseLSN)) already holds: nothing is lost")
            if let segment = gap.segment { quarantine.append(segment) }  // moved aside, never deleted
        }

        // 7. The rows to build the collection from, and the records to replay over them.
        let rows = makeRows(source: source, payloads: payloads, graph: graph, warnings: &warnings)
        let replay = scan.records.filter { $0.lsn > baseLSN }
        // Numbering goes on after everything known to exist (the files' checkpoints, the log's
        // records, the active segment's start), even when less than that was replayed.
        let highest = [source?.lsn ?? 0, payloadLSN ?? 0, meta?.checkpointLSN ?? 0, scan.lastLSN,
                       max(scan.segments.last?.firstLSN ?? 1, 1) - 1, baseLSN].max()!
        var summary = source.map { "vectors from \($0.from)" } ?? "no stored vectors"
        if config.annAlgorithm == .hnsw, source.map({ !$0.ids.isEmpty }) ?? false {
            summary += graph != nil ? ", HNSW graph loaded from ann_index.faiss" : ", HNSW graph rebuilt"
        }
        summary += ", \(replay.count) log records replayed"
        clock.lap("plan")
        return Outcome(
            rows: rows, replay: replay, baseLSN: baseLSN, highestLSN: highest, scan: scan, quarantine: quarantine,
            warnings: warnings, summary: summary, clock: clock)
    }

    /// The checkpoint's rows, one per id (the last row of an id listed twice wins), with their
    /// payloads.
    private func makeRows(
        source: VectorSource?, payloads: [VectorID: Payload], graph: HNSWGraphLayout?, warnings: inout [String]
    ) -> RecoveredRows? {
        guard let source, !source.ids.isEmpty else {
            if !payloads.isEmpty { warnings.append("payloads.json holds \(payloads.count) payloads without vectors; ignored") }
            return nil
        }
        // Keep the last row of an id listed twice (never trap on duplicated ids in a file).
        var lastRow: [VectorID: Int] = [:]
        lastRow.reserveCapacity(source.ids.count)
        for (row, id) in source.ids.enumerated() { lastRow[id] = row }
        let unique = lastRow.count == source.ids.count
        if !unique {
            warnings.append("\(source.from) lists \(source.ids.count - lastRow.count) ids more than once; the last row wins")
        }
        let rows = unique ? Array(source.ids.indices) : source.ids.indices.filter { lastRow[source.ids[$0]] == $0 }
        let d = config.dimension
        let ids = rows.map { source.ids[$0] }
        var vectors = source.vectors
        if !unique {
            vectors = source.vectors.withUnsafeBufferPointer { all in
                var kept: [Float] = []
                kept.reserveCapacity(rows.count * d)
                for row in rows { kept.append(contentsOf: all[(row * d)..<((row + 1) * d)]) }
                return .array(kept)
            }
        }
        let rowPayloads = ids.map { payloads[$0] ?? [:] }
        let orphaned = payloads.count - ids.reduce(0) { $0 + (payloads[$1] == nil ? 0 : 1) }
        if orphaned > 0 { warnings.append("payloads.json holds \(orphaned) payloads without vectors; ignored") }
        return RecoveredRows(ids: ids, payloads: rowPayloads, vectors: vectors, graph: unique ? graph : nil)
    }
}

/// The rows of a checkpoint, ready to build the in-memory collection from: row `i` is `ids[i]`
/// with `payloads[i]` and the `i`-th vector of `vectors`; ids are unique.
struct RecoveredRows: @unchecked Sendable {
    var ids: [VectorID]
    var payloads: [Payload]
    var vectors: FloatRows
    /// The stored HNSW graph over the rows (node `i` is row `i`), when it could be trusted.
    var graph: HNSWGraphLayout?
}

/// Row-major vectors, either in an array or still in the buffer a file was read into.
enum FloatRows {
    case array([Float])
    case file(LargeBuffer, offset: Int, count: Int)

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        switch self {
        case .array(let floats):
            return try floats.withUnsafeBufferPointer(body)
        case .file(let buffer, let offset, let count):
            #if _endian(little)
            let start = (buffer.bytes.baseAddress! + offset).assumingMemoryBound(to: Float.self)
            return try body(UnsafeBufferPointer(start: start, count: count))
            #else
            var reader = ByteReader(buffer.bytes, offset: offset)
            let floats = (try? reader.readFloats(count)) ?? []
            return try floats.withUnsafeBufferPointer(body)
            #endif
        }
    }
}


let S_IFREG_VALUE = S_IFREG

/// Times the phases of an open, for the open's summary.
struct PhaseClock {
    private var last = ContinuousClock.now
    private var phases: [(String, Duration)] = []

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        phases.append((name, now - last))
        last = now
    }

    /// "metadata 1 ms, log 0 ms, ...".
    var report: String {
        phases.map { name, d in
            let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            return "\(name) \(Int(ms.rounded())) ms"
        }.joined(separator: ", ")
    }
}
