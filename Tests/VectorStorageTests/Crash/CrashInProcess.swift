import Foundation
@testable import VectorStorage

/// A store opened in the test process, for the damage tests (they need exact control of which
/// records are in the log, and the typed errors themselves).
enum CrashInProcess {
    static let dimension = 8

    static func config(_ path: String, algorithm: ANNAlgorithm = .hnsw, inlineLimit: Int? = nil) -> VectorStoreConfig {
        var c = VectorStoreConfig(
            collectionName: "damage", dimension: dimension, maxVectors: 100_000, annPersistIndex: true,
            annIndexPath: path, annAlgorithm: algorithm, annMinDatasetSize: 8, annM: 8, annEfConstruction: 32,
            annBuildThreads: 1, durability: .always, checkpointThresholdBytes: 1 << 30)
        if let inlineLimit { c.metadataVectorLimit = inlineLimit }
        return c
    }

    /// Everything a store holds: id → (vector bits, payload).
    static func contents(_ store: InMemoryVectorStore) async throws -> CrashModel {
        var model = CrashModel()
        let all = try store.list(filter: nil, limit: Int.max, offset: 0)
        for result in all.results {
            guard let full = try await store.get(result.id), let vector = full.vector else {
                throw CrashFailure("listed id \(result.id) has no vector")
            }
            model.entries[result.id] = CrashModel.Entry(bits: vector.map(\.bitPattern), payload: full.payload)
        }
        if try store.count() != model.entries.count { throw CrashFailure("count() disagrees with list()") }
        return model
    }
}

/// The expected contents of a collection, compared bit for bit.
struct CrashModel: Equatable {
    struct Entry: Equatable {
        var bits: [UInt32]
        var payload: Payload
    }

    var entries: [VectorID: Entry] = [:]

    func differences(from actual: CrashModel) -> String {
        var lines: [String] = []
        for (id, e) in entries where actual.entries[id] != e {
            lines.append(actual.entries[id] == nil ? "\(id) missing" : "\(id) differs")
        }
        for id in actual.entries.keys where entries[id] == nil { lines.append("\(id) should not exist") }
        return "\(lines.count) differences: " + lines.sorted().prefix(6).joined(separator: ", ")
    }
}

/// One write of a damage-test fixture: each is exactly one log record.
enum CrashStep {
    case put([VectorID])
    case updatePayload(VectorID)
    case updateVector(VectorID)
    case delete([VectorID])

    static func vector(_ k: Int, _ id: VectorID) -> [Float] {
        var r = CrashRandom(seed: "\(id)".utf8.reduce(UInt64(k) &* 1_000_003) { $0 &* 31 &+ UInt64($1) })
        return (0..<CrashInProcess.dimension).map { i in
            i == 0 && k % 4 == 0 ? -0.0 : Float(Int64(r.next() >> 40) % 20_001) / 10_000 - 1
        }
    }

    static func payload(_ k: Int, _ id: VectorID) -> Payload {
        ["k": .int(Int64(k)), "id": .string("\(id)"), "f": .double(Double(k) / 3), "tags": ["a", .int(Int64(k)), nil]]
    }

    func apply(_ k: Int, to store: InMemoryVectorStore, model: inout CrashModel) async throws {
        switch self {
        case .put(let ids):
            try await store.insert(ids.map { Self.vector(k, $0) }, ids: ids, payloads: ids.map { Self.payload(k, $0) })
            for id in ids {
                model.entries[id] = .init(bits: Self.vector(k, id).map(\.bitPattern), payload: Self.payload(k, id))
            }
        case .updatePayload(let id):
            try await store.update(id, payload: Self.payload(k, id))
            model.entries[id]!.payload = Self.payload(k, id)
        case .updateVector(let id):
            try await store.update(id, vector: Self.vector(k, id))
            model.entries[id]!.bits = Self.vector(k, id).map(\.bitPattern)
        case .delete(let ids):
            try await store.delete(ids)
            for id in ids { model.entries[id] = nil }
        }
    }

    /// A varied stream: batches, single puts, updates and deletes of existing ids (each step
    /// touches ids an earlier step created, so every one changes the collection and is logged).
    static func stream(_ count: Int) -> [CrashStep] {
        (1...count).map { k -> CrashStep in
            switch k % 5 {
            case 1: return .put([.int(Int64(k)), .string("s\(k)"), .string("é\(k)")])
            case 2: return .put([.int(Int64(k))])
            case 3: return .updateVector(.int(Int64(k - 2)))
            case 4: return .delete([.string("s\(k - 3)")])
            default: return .updatePayload(.int(Int64(k - 3)))
            }
        }
    }
}

/// A store directory written by a known sequence of steps (optionally with a checkpoint after
/// step `checkpointAfter`), closed as a crash leaves it (no final checkpoint), and remembered
/// byte for byte, with the expected contents after every step and where each record ends.
struct CrashLogFixture {
    let dir: CrashTempDir
    let path: String
    let config: VectorStoreConfig
    /// `models[k]`: the contents after the first `k` steps.
    var models: [CrashModel] = [CrashModel()]
    /// After each step (and after the checkpoint's marker): the last segment and its size.
    var ends: [(segment: String, size: Int, model: Int)] = []
    /// The directory's files when the fixture was made.
    var files: [String: [UInt8]] = [:]
    /// The log segments present just before the checkpoint (they cover the history from the start).
    var segmentsBeforeCheckpoint: [String: [UInt8]] = [:]
    var checkpointLSN: Int?

    /// The ids some step after the checkpoint wrote whole (the log holds their full value).
    var rewrittenAfterCheckpoint: Set<VectorID> {
        guard let checkpointLSN else { return [] }
        var ids = Set<VectorID>()
        for (i, step) in CrashStep.stream(models.count - 1).enumerated() where i + 1 > checkpointLSN {
            switch step {
            case .put(let list): ids.formUnion(list)
            case .updatePayload(let id), .updateVector(let id): ids.insert(id)
            case .delete(let list): ids.subtract(list)
            }
        }
        return ids
    }

    static func make(steps: Int, checkpointAfter: Int? = nil, algorithm: ANNAlgorithm = .hnsw, inlineLimit: Int? = nil)
        async throws -> CrashLogFixture
    {
        let dir = CrashTempDir("damage", memory: true)
        let path = dir.file("store")
        var f = CrashLogFixture(dir: dir, path: path, config: CrashInProcess.config(path, algorithm: algorithm, inlineLimit: inlineLimit))
        let store = try InMemoryVectorStore(config: f.config)
        try await store.connect()
        var model = CrashModel()
        f.ends.append((CrashFiles.segments(path).last!, 32, 0))  // the empty log: just its header
        for (i, step) in CrashStep.stream(steps).enumerated() {
            let k = i + 1
            try await step.apply(k, to: store, model: &model)
            f.models.append(model)
            f.ends.append(f.lastSegmentEnd(model: k))
            if k == checkpointAfter {
                f.segmentsBeforeCheckpoint = CrashFiles.snapshot(path).filter { $0.key.hasPrefix("wal-") }
                try await store.checkpoint()
                f.checkpointLSN = k
                let seg = CrashFiles.segments(path).last!
                f.ends.append((seg, 32, k))  // the new segment's header ends where the marker starts
                f.ends.append(f.lastSegmentEnd(model: k))
            }
        }
        await store.simulateCrashForTesting()
        f.files = CrashFiles.snapshot(path)
        return f
    }

    private func lastSegmentEnd(model: Int) -> (segment: String, size: Int, model: Int) {
        let seg = CrashFiles.segments(path).last!
        return (seg, CrashFiles.size(path + "/" + seg), model)
    }

    var lastSegment: String { ends.last!.segment }

    /// Record boundaries of the last segment, ascending, with the model index each leaves.
    var lastSegmentBoundaries: [(offset: Int, model: Int)] {
        var seen: [(Int, Int)] = []
        for e in ends where e.segment == lastSegment {
            if let i = seen.firstIndex(where: { $0.0 == e.size }) { seen[i].1 = e.model } else { seen.append((e.size, e.model)) }
        }
        return seen.sorted { $0.0 < $1.0 }
    }

    /// Resets the directory to the fixture's bytes (plus `extra` files).
    func restore(extra: [String: [UInt8]] = [:]) {
        CrashFiles.restore(path, files.merging(extra) { a, _ in a })
    }

    func open(repair: Bool = false) async throws -> InMemoryVectorStore {
        let store = try InMemoryVectorStore(config: config)
        if repair { try await store.repair() } else { try await store.connect() }
        return store
    }
}
