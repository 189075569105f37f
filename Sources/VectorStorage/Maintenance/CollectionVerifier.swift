import VectorIndex

/// A full, read-only check of a persistence directory, beyond the checksums
/// ``CollectionInspector`` compares: every file is parsed, every vector checked finite and of the
/// collection's dimension, ids checked unique within each file and consistent across files, the
/// FAISS index checked against the vectors and the ids, the log read record by record, and the
/// collection recovered from it all as an open would (the log replayed), after which the
/// in-memory HNSW graph's invariants are checked.
///
/// ```swift
/// let report = try await CollectionVerifier.verify(path: "./data/vector-storage")
/// if !report.isSound { print(report) }
/// ```
///
/// It never takes the directory's lock and never writes to the directory: it verifies a
/// point-in-time copy of the files (see ``ReadOnlyCollection`` for why such a copy is consistent),
/// so it runs as well beside a store that has the directory open — the report then says so
/// (``VerificationReport/directoryInUse``), and a torn log tail is reported as an append in
/// flight, not as damage.
public enum CollectionVerifier {
    /// Where a verification is, for a progress display.
    public struct Progress: Sendable, Hashable {
        /// The check running (`"vectors"`, `"graph"`, ...).
        public var phase: String
        /// Items done and in all in this phase (0 of 0 for a phase without a count).
        public var done: Int
        public var total: Int
    }

    /// Verifies the directory at `path`.
    ///
    /// - Parameter progress: called from the verifying thread as the checks advance.
    /// - Throws: only when the directory cannot be read at all (missing, not a directory); every
    ///   problem with its contents is in the report.
    public static func verify(
        path: String, progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> VerificationReport {
        try await runBlocking { try verifyBlocking(path: path, progress: progress ?? { _ in }) }
    }

    static func verifyBlocking(path: String, progress: @escaping @Sendable (Progress) -> Void) throws -> VerificationReport {
        progress(Progress(phase: "reading files", done: 0, total: 0))
        let snapshot = try DirectorySnapshot.take(of: path)
        defer { snapshot.remove() }
        var run = Run(snapshot: snapshot, progress: progress)
        run.report.path = path
        run.report.directoryInUse = snapshot.inUse
        run.report.lockHolder = snapshot.lockHolder
        if !snapshot.settled {
            run.report.notes.append("the directory kept changing while it was read; the files were checked as they were last")
        }
        run.checkEntries()
        run.checkFiles()
        run.checkLog()
        run.checkRecovery()
        return run.report
    }

    /// One verification's state.
    private struct Run {
        let snapshot: DirectorySnapshot
        let progress: @Sendable (Progress) -> Void
        var report = VerificationReport()
        var meta: CheckpointMetadata?
        var generations: [(lsn: UInt64, files: [String: FileFingerprint])] = []
        /// Ids of the vectors file and of the metadata, with the checkpoint each belongs to.
        var vectorIDs: (ids: [VectorID], lsn: UInt64?)?
        var vectorRows: [Float] = []

        init(snapshot: DirectorySnapshot, progress: @escaping @Sendable (Progress) -> Void) {
            self.snapshot = snapshot
            self.progress = progress
        }

        var copy: Directory { snapshot.copy }
        var present: Set<String> { Set(snapshot.sourceNames) }

        mutating func pass(_ name: String, _ detail: String) { report.checks.append(.init(name: name, passed: true, detail: detail)) }
        mutating func fail(_ name: String, _ detail: String) { report.checks.append(.init(name: name, passed: false, detail: detail)) }

        mutating func checkEntries() {
            if snapshot.irregularEntries.isEmpty {
                pass("entries", "\(snapshot.sourceNames.count) entries, every file of the collection a regular file")
            } else {
                for (name, kind) in snapshot.irregularEntries.sorted(by: { $0.key < $1.key }) {
                    fail("entries", "\(name) is \(kind), not a regular file")
                }
            }
            let aside = snapshot.sourceNames.filter { $0.contains(".corrupt-") || $0.contains(".torn-") || $0.contains(".incomplete-") }
            if !aside.isEmpty { report.notes.append("files set aside by an earlier recovery: \(aside.joined(separator: ", "))") }
        }

        /// The checkpoint a file's bytes belong to, by fingerprint.
        func generation(of name: String, _ bytes: [UInt8]) -> UInt64? {
            let fingerprint = bytes.withUnsafeBytes { FileFingerprint(of: $0) }
            return generations.last { $0.files[name] == fingerprint }?.lsn
        }

        mutating func checkFiles() {
            progress(Progress(phase: "checkpoint files", done: 0, total: 0))
            let dimension: Int?
            // ann_metadata.json
            if present.contains(CheckpointFiles.metadata) {
                do {
                    let bytes = try PosixFile.openForReading(copy.file(CheckpointFiles.metadata)).readAll()
                    let decoded = try bytes.withUnsafeBytes { try CheckpointMetadata.decode($0, loadVectors: true) }
                    meta = decoded
                    var detail = decoded.isOurs ? "self-checksum ok" : "seed format (no checksums)"
                    if let ids = decoded.inlineIDs {
                        detail += ", \(ids.count) vectors inline, finite, dimension \(decoded.dimension)"
                        if let duplicate = firstDuplicate(ids) {
                            fail(CheckpointFiles.metadata, "id \(duplicate.debugDescription) is listed more than once")
                        }
                    }
                    pass(CheckpointFiles.metadata, detail)
                } catch {
                    fail(CheckpointFiles.metadata, "\(error)")
                }
            }
            dimension = meta?.dimension
            if let meta, meta.isOurs { generations.append((meta.checkpointLSN, meta.files)) }
            if let scan = try? WALReader.scan(copy, names: try copy.entries()) {
                for marker in scan.markers where marker.checkpointLSN >= (meta?.checkpointLSN ?? 0) {
                    generations.append((marker.checkpointLSN, marker.files))
                }
            }
            checkVectorsFile(dimension: dimension)
            checkPayloadsFile()
            checkIndexFile()
        }

        mutating func checkVectorsFile(dimension: Int?) {
            let name = VectorsFile.name
            guard present.contains(name) else {
                if let ids = meta?.inlineIDs { vectorIDs = (ids, meta?.checkpointLSN) }
                vectorRows = meta?.inlineVectors ?? []
                return
            }
            do {
                let bytes = try PosixFile.openForReading(copy.file(name)).readAll()
                let contents = try bytes.withUnsafeBytes { try VectorsFile.read($0, verify: true, copyVectors: true) }
                let gen = generation(of: name, bytes)
                if !generations.isEmpty && gen == nil {
                    fail(name, "does not match the checksum of any checkpoint (ann_metadata.json or a marker in the log)")
                }
                if let dimension, contents.dimension != dimension {
                    fail(name, "dimension \(contents.dimension), but the collection's is \(dimension)")
                }
                if let bad = contents.vectors.firstIndex(where: { !$0.isFinite }) {
                    let row = bad / max(contents.dimension, 1)
                    fail(name, "row \(row) (\(contents.ids[row].debugDescription)) holds \(contents.vectors[bad]) at component \(bad % contents.dimension)")
                }
                if let duplicate = firstDuplicate(contents.ids) {
                    fail(name, "id \(duplicate.debugDescription) is listed more than once")
                }
                // The inline copy in ann_metadata.json, when it belongs to the same checkpoint, must be identical.
                if let meta, let inline = meta.inlineIDs, let floats = meta.inlineVectors, contents.checkpointLSN == meta.checkpointLSN {
                    if inline != contents.ids {
                        fail(name, "its ids differ from the ones inline in ann_metadata.json (same checkpoint)")
                    } else if !floats.elementsEqual(contents.vectors, by: { $0.bitPattern == $1.bitPattern }) {
                        fail(name, "its vectors differ from the ones inline in ann_metadata.json (same checkpoint)")
                    }
                }
                vectorIDs = (contents.ids, gen ?? contents.checkpointLSN)
                vectorRows = contents.vectors
                pass(name, "\(contents.ids.count) vectors of dimension \(contents.dimension), all finite, ids unique, checksum ok")
            } catch {
                fail(name, "\(error)")
            }
        }

        mutating func checkPayloadsFile() {
            let name = CheckpointFiles.payloads
            guard present.contains(name) else { return }
            do {
                let bytes = try PosixFile.openForReading(copy.file(name)).readAll()
                let contents = try bytes.withUnsafeBytes { try PayloadsFile.decode($0) }
                let gen = generation(of: name, bytes)
                if !generations.isEmpty && gen == nil && meta?.files[name] != nil {
                    fail(name, "does not match the checksum of any checkpoint")
                }
                for skipped in contents.skippedRows { fail(name, "\(skipped) cannot be read") }
                if contents.duplicateIDs > 0 { fail(name, "\(contents.duplicateIDs) ids are listed more than once") }
                var invalid = 0
                for row in contents.rows {
                    do { try PayloadValidator.validate(row.payload, id: row.id) } catch {
                        if invalid == 0 { fail(name, "\(error)") }
                        invalid += 1
                    }
                }
                if let vectors = vectorIDs, gen == vectors.lsn || generations.isEmpty {
                    let vectorSet = Set(vectors.ids)
                    let payloadSet = Set(contents.rows.map(\.id))
                    let orphans = payloadSet.subtracting(vectorSet)
                    if let orphan = orphans.first {
                        fail(name, "\(orphans.count) payloads belong to no vector (for example \(orphan.debugDescription))")
                    }
                    let missing = vectorSet.subtracting(payloadSet)
                    if let one = missing.first, meta?.isOurs == true {
                        fail(name, "\(missing.count) vectors have no payload row (for example \(one.debugDescription))")
                    }
                }
                pass(name, "\(contents.rows.count) payload rows")
            } catch {
                fail(name, "\(error)")
            }
        }

        mutating func checkIndexFile() {
            let name = CheckpointFiles.index
            guard present.contains(name) else { return }
            guard let bytes = try? PosixFile.openForReading(copy.file(name)).readAll() else {
                fail(name, "cannot be read")
                return
            }
            if meta?.isOurs != true && bytes.count < 64 && String(decoding: bytes, as: UTF8.self).contains("FAISS_NOT_AVAILABLE") {
                pass(name, "the seed's placeholder (FAISS_NOT_AVAILABLE): the graph is built at open")
                return
            }
            do {
                let contents = try FaissIndexReader.read(bytes)
                let gen = generation(of: name, bytes)
                if !generations.isEmpty && gen == nil {
                    fail(name, "does not match the checksum of any checkpoint")
                }
                if let graph = contents.graph {
                    do { try FaissGraphValidator.validate(graph, nodeCount: contents.count) } catch {
                        fail(name, "graph: \(error)")
                    }
                }
                if let dimension = meta?.dimension, contents.dimension != dimension {
                    fail(name, "dimension \(contents.dimension), but the collection's is \(dimension)")
                }
                if let vectors = vectorIDs, gen == vectors.lsn {
                    checkIndexAgainstVectors(contents, ids: vectors.ids)
                }
                pass(name, "\(contents.count) vectors\(contents.graph != nil ? " and their HNSW graph" : ""), readable by FAISS")
            } catch {
                fail(name, "\(error)")
            }
        }

        /// The FAISS index holds the same rows as the vectors file: same count, labels as
        /// ``CheckpointMetadata/faissLabels`` says, the same vectors (normalised for cosine).
        mutating func checkIndexAgainstVectors(_ contents: FaissIndexContents, ids: [VectorID]) {
            let name = CheckpointFiles.index
            guard contents.count == ids.count else {
                fail(name, "holds \(contents.count) vectors, the vectors file \(ids.count)")
                return
            }
            let byRow = meta?.faissLabels == "row"
            for (row, id) in ids.enumerated() {
                var expected: Int64? = byRow ? Int64(row) : nil
                if !byRow, case .int(let value) = id { expected = value }
                if let expected, contents.ids[row] != expected {
                    fail(name, "row \(row) is labelled \(contents.ids[row]), expected \(expected) for \(id.debugDescription)")
                    return
                }
            }
            let d = contents.dimension
            guard vectorRows.count == contents.vectors.count, d > 0 else { return }
            let cosine = meta?.metric.flatMap(DistanceMetric.init(parsing:)) == .cosine
            for row in 0..<ids.count {
                let original = vectorRows[(row * d)..<((row + 1) * d)]
                let stored = contents.vectors[(row * d)..<((row + 1) * d)]
                var scale: Float = 1
                if cosine {
                    let norm = original.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                    scale = norm > 0 ? 1 / norm : 1
                }
                let same = zip(original, stored).allSatisfy { a, b in
                    cosine ? abs(a * scale - b) <= 1e-5 * max(1, abs(b)) : a.bitPattern == b.bitPattern
                }
                if !same {
                    fail(name, "the vector of row \(row) (\(ids[row].debugDescription)) differs from the vectors file")
                    return
                }
            }
        }

        mutating func checkLog() {
            progress(Progress(phase: "write-ahead log", done: 0, total: 0))
            let scan: WALScan
            do {
                scan = try WALReader.scan(copy, names: try copy.entries())
            } catch {
                fail("write-ahead log", "\(error)")
                return
            }
            let d = meta?.dimension ?? vectorIDs.flatMap { $0.ids.isEmpty ? nil : vectorRows.count / $0.ids.count }
            var bad = 0
            for record in scan.records {
                guard case .upsert(let entries) = record.operation else { continue }
                for entry in entries {
                    let wrongDimension = d.map { entry.vector.count != $0 } ?? false
                    if wrongDimension || entry.vector.contains(where: { !$0.isFinite }) {
                        if bad == 0 {
                            fail("write-ahead log", "record \(record.lsn) holds a vector for \(entry.id.debugDescription) that is "
                                + (wrongDimension ? "of dimension \(entry.vector.count)" : "not finite"))
                        }
                        bad += 1
                    }
                }
            }
            if let torn = scan.tornTail {
                let what = "\(torn.segment) ends with \(torn.length) bytes that are not a complete record (at offset \(torn.offset))"
                if snapshot.inUse {
                    report.notes.append("\(what): an append in flight by the store that has the directory open")
                } else {
                    fail("write-ahead log", "\(what): a torn tail (a crash mid-write); the next open cuts it")
                }
            }
            for gap in scan.gaps { fail("write-ahead log", "\(gap.error)") }
            for name in scan.incompleteSegments { fail("write-ahead log", "\(name) was never completed (a crash while creating it)") }
            let segments = scan.segments.count
            let detail = "\(segments) segment\(segments == 1 ? "" : "s"), \(scan.records.count) records, last sequence \(scan.lastLSN), every record's checksum ok"
            if bad == 0 { pass("write-ahead log", detail) }
        }

        /// Recovers the collection from the copy as an open would, then checks what it holds.
        mutating func checkRecovery() {
            progress(Progress(phase: "recovery", done: 0, total: 0))
            let config: VectorStoreConfig
            let store: InMemoryVectorStore
            let outcome: CollectionLoader.Outcome
            do {
                (config, _) = try ReadOnlyCollection.recordedConfiguration(snapshot)
                store = try InMemoryVectorStore(config: config, logger: ReadOnlyCollection.silentLogger)
                let loader = CollectionLoader(directory: copy, config: config, logger: ReadOnlyCollection.silentLogger, salvage: false)
                outcome = try loader.load()
                store.state.lock.withExclusive { store.state.restore(outcome) }
            } catch {
                fail("recovery", "an open would fail: \(error)")
                return
            }
            for warning in outcome.warnings { fail("recovery", warning) }
            for repair in ReadOnlyCollection.repairs(outcome) where !(snapshot.inUse && repair.hasPrefix("cut ")) {
                fail("recovery", "an open would \(repair)")
            }
            pass("recovery", outcome.summary)
            let state = store.state
            report.vectors = state.count
            report.sequence = state.appliedLSN
            checkState(state, dimension: config.dimension)
        }

        mutating func checkState(_ state: CollectionState, dimension: Int) {
            let slots = state.ids.indices.filter { state.ids[$0] != nil }
            var nonFinite: [String] = []
            for (i, slot) in slots.enumerated() {
                if i % 4096 == 0 { progress(Progress(phase: "vectors", done: i, total: slots.count)) }
                let ok = state.index.withVector(at: slot) { v in v.count == dimension && !v.contains(where: { !$0.isFinite }) }
                if !ok && nonFinite.count < 5 { nonFinite.append(state.ids[slot]!.debugDescription) }
            }
            progress(Progress(phase: "vectors", done: slots.count, total: slots.count))
            if nonFinite.isEmpty {
                pass("vectors", "\(slots.count) vectors, every one finite and of dimension \(dimension)")
            } else {
                fail("vectors", "not finite or of the wrong dimension: \(nonFinite.joined(separator: ", "))")
            }
            let unique = Set(slots.map { state.ids[$0]! }).count
            if unique == slots.count && state.index.count == slots.count {
                pass("ids", "\(unique) ids, each on one vector")
            } else {
                fail("ids", "\(slots.count) vectors, \(unique) distinct ids, the index counts \(state.index.count)")
            }
            if let hnsw = state.index as? HNSWIndex {
                progress(Progress(phase: "graph", done: 0, total: 0))
                let problems = hnsw.checkInvariants()
                if problems.isEmpty {
                    pass("graph", "HNSW invariants hold (\(hnsw.slotUpperBound) nodes, \(hnsw.tombstones) deleted, every live node reachable)")
                } else {
                    for problem in problems.prefix(20) { fail("graph", problem) }
                    if problems.count > 20 { fail("graph", "and \(problems.count - 20) more") }
                }
            }
        }

        func firstDuplicate(_ ids: [VectorID]) -> VectorID? {
            var seen = Set<VectorID>()
            seen.reserveCapacity(ids.count)
            return ids.first { !seen.insert($0).inserted }
        }
    }
}

/// What ``CollectionVerifier/verify(path:progress:)`` found.
public struct VerificationReport: Sendable, Hashable, CustomStringConvertible {
    /// One check and its outcome.
    public struct Check: Sendable, Hashable {
        /// What was checked: a file name, `write-ahead log`, `recovery`, `vectors`, `ids`, `graph`.
        public var name: String
        /// Whether it holds.
        public var passed: Bool
        /// What was found.
        public var detail: String
    }

    /// The directory verified.
    public var path = ""
    /// Whether another store held the directory's lock (the files were verified as they were on
    /// disk, without the lock).
    public var directoryInUse = false
    /// What the lock file says about its holder, when in use.
    public var lockHolder: String?
    /// Every check, in the order run.
    public var checks: [Check] = []
    /// Remarks that are not problems (files set aside earlier, an append in flight).
    public var notes: [String] = []
    /// Vectors after recovery.
    public var vectors = 0
    /// The sequence number of the last operation recovered.
    public var sequence: UInt64 = 0

    /// Every failed check, as `name: detail`.
    public var problems: [String] { checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" } }
    /// Whether every check passed.
    public var isSound: Bool { checks.allSatisfy(\.passed) }

    /// A human-readable report.
    public var description: String {
        var lines = ["Verified \(path)" + (directoryInUse ? " (in use by another store\(lockHolder.map { ": \($0)" } ?? ""); its files were read as they were on disk, without the lock)" : "")]
        for check in checks {
            lines.append("  \(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
        }
        for note in notes { lines.append("  note: \(note)") }
        lines.append(isSound
            ? "  sound: \(vectors) vectors up to sequence \(sequence)"
            : "  \(problems.count) problem\(problems.count == 1 ? "" : "s") found")
        return lines.joined(separator: "\n")
    }
}
