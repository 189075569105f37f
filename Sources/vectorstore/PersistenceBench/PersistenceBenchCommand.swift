import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore bench-persistence`: what durability costs, measured on a real data folder.
///
/// 1. Durable inserts one at a time under each policy (`always`, `batched`, `none`), plus 16
///    concurrent writers under `always` (group commit).
/// 2. The cost of one durable insert into a collection of 1,000 and of 60,000 vectors (it must not
///    grow with the collection: a write appends one log record, it never rewrites the files).
/// 3. Checkpoint time and open time of the whole data set (HNSW), beside hnswlib's save and load
///    from a `peers.py --json` file measured in the same session.
struct PersistenceBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-persistence",
        abstract: "Measure durable insert rates, per-insert cost vs collection size, checkpoint and open times.")

    @Option(help: "A data folder in the minilm-debian format (base.f32, meta.json, ...).")
    var data: String

    @Option(help: "Where to create the benchmark collections (default: a temporary directory).")
    var directory: String?

    @Option(help: "Single inserts per policy.")
    var inserts = 2000

    @Option(help: "JSON written by `python3 peers.py --json` in the same session (hnswlib save/load).")
    var peers: String?

    @Option(help: "Also write the results here as JSON.")
    var json: String?

    @Option(help: "Parts to run: policies, size, mixed, full.")
    var sections: [String] = ["policies", "size", "mixed", "full"]

    @Flag(help: "Part 3: reuse a collection a previous run left in --directory (skips the build and checkpoint).")
    var reuseFull = false

    func run() async throws {
        let dataset = try BenchData.load(folder: data)
        let root = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("vs-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        var report = PersistenceBenchReport(data: URL(fileURLWithPath: data).lastPathComponent, rows: dataset.rows, dimension: dataset.dimension)
        print("bench-persistence: \(dataset.rows) × \(dataset.dimension) from \(data); collections in \(root)\n")

        // 1. Durable inserts one at a time, per policy.
        if sections.contains("policies") {
        print("1. single inserts, one at a time (\(inserts) each, 384-d vector + small payload)")
        for (name, policy) in [("always", DurabilityPolicy.always), ("batched 100 ms", .batched(interval: .milliseconds(100))), ("none", .never)] {
            let result = try await singleInserts(dataset, policy: policy, path: root + "/policy-\(policy.name)", count: inserts)
            report.policies.append(result.named(name))
            print("   \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(fmt(result.opsPerSecond)) ops/s   p50 \(fmt(result.p50Micros)) µs   p99 \(fmt(result.p99Micros)) µs   fsyncs \(result.flushes)")
        }
        let concurrent = try await concurrentInserts(dataset, path: root + "/concurrent", writers: 16, count: inserts * 2)
        report.concurrentAlways = concurrent
        print("   always, 16 writers \(fmt(concurrent.opsPerSecond)) ops/s   fsyncs \(concurrent.flushes) for \(concurrent.operations) writes (group commit)")
        }

        // 2. Per-insert cost at two collection sizes.
        if sections.contains("size") {
        print("\n2. cost of one durable insert (always) by collection size")
        for size in [1000, min(60_000, dataset.rows - 1000)] {
            for algorithm in [ANNAlgorithm.flat, .hnsw] {
                let cost = try await insertCost(dataset, preload: size, algorithm: algorithm, path: root + "/size-\(size)-\(algorithm.rawValue)")
                report.sizeCost.append(cost)
                print("   \(String(repeating: " ", count: max(0, 6 - String(size).count)))\(size) vectors, \(algorithm.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  \(fmt(cost.meanMicros)) µs per insert  (log append + fsync + apply)")
            }
        }
        }

        // 3. Checkpoint and open of the whole set.
        if sections.contains("mixed") {
            print("\n3. searches while a writer inserts (HNSW, 20,000 vectors, 2 reader tasks, 1 writer, always)")
            let mixed = try await searchesDuringWrites(dataset, path: root + "/mixed")
            report.mixed = mixed
            print("   readers alone:        \(fmt(mixed.baselineQPS)) searches/s, p50 \(fmt(mixed.baselineP50Micros)) µs, p99 \(fmt(mixed.baselineP99Micros)) µs")
            print("   readers with writer:  \(fmt(mixed.mixedQPS)) searches/s, p50 \(fmt(mixed.mixedP50Micros)) µs, p99 \(fmt(mixed.mixedP99Micros)) µs, max \(fmt(mixed.mixedMaxMicros)) µs")
            print("   writer meanwhile:     \(fmt(mixed.writerOpsPerSecond)) durable inserts/s")
        }

        if sections.contains("full") {
            print("\n4. checkpoint and open of all \(dataset.rows) vectors (HNSW, cosine)")
            let full = try await checkpointAndOpen(dataset, path: root + "/full")
            report.full = full
            print("   build \(fmt(full.buildSeconds)) s; checkpoint \(String(format: "%.3f", full.checkpointSeconds)) s (\(full.checkpointBytes / 1_048_576) MB written and fsynced); open \(String(format: "%.3f", full.openSeconds)) s")
            print("   writes waited \(String(format: "%.0f", full.checkpointPauseSeconds * 1000)) ms of the checkpoint (state copy + new log segment); searches never")
            print("   open: \(full.openSummary)")
            if let peers, let hnswlib = try? PeerPersistence.load(peers) {
                print("   hnswlib: save \(String(format: "%.3f", hnswlib.save)) s, load \(String(format: "%.3f", hnswlib.load)) s  →  checkpoint \(String(format: "%.2f", full.checkpointSeconds / hnswlib.save))× save, open \(String(format: "%.2f", full.openSeconds / hnswlib.load))× load")
                report.hnswlibSave = hnswlib.save
                report.hnswlibLoad = hnswlib.load
            }
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    private func config(_ path: String, dimension: Int, algorithm: ANNAlgorithm, policy: DurabilityPolicy) -> VectorStoreConfig {
        VectorStoreConfig(
            collectionName: "bench", dimension: dimension, maxVectors: 10_000_000, annPersistIndex: true,
            annIndexPath: path, annAlgorithm: algorithm, durability: policy)
    }

    private func singleInserts(_ d: BenchData, policy: DurabilityPolicy, path: String, count: Int) async throws -> PolicyResult {
        let (manager, store) = try await createVectorStore(config(path, dimension: d.dimension, algorithm: .flat, policy: policy))
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let started = ContinuousClock.now
        for i in 0..<count {
            let t = ContinuousClock.now
            try await store.insert([d.row(i)], ids: [.int(Int64(i))], payloads: [["i": .int(Int64(i)), "source": "bench"]])
            latencies.append((ContinuousClock.now - t).seconds)
        }
        let total = (ContinuousClock.now - started).seconds
        let stats = try manager.inMemoryStore.statistics()
        try await manager.disconnect()
        latencies.sort()
        return PolicyResult(
            policy: "", operations: count, opsPerSecond: Double(count) / total,
            p50Micros: latencies[count / 2] * 1e6, p99Micros: latencies[min(count - 1, count * 99 / 100)] * 1e6,
            flushes: stats.logFlushes)
    }

    private func concurrentInserts(_ d: BenchData, path: String, writers: Int, count: Int) async throws -> PolicyResult {
        let (manager, store) = try await createVectorStore(config(path, dimension: d.dimension, algorithm: .flat, policy: .always))
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var i = w
                    while i < count {
                        try await store.insert([d.row(i)], ids: [.int(Int64(i))])
                        i += writers
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = (ContinuousClock.now - started).seconds
        let stats = try manager.inMemoryStore.statistics()
        try await manager.disconnect()
        return PolicyResult(policy: "always, \(writers) writers", operations: count, opsPerSecond: Double(count) / total,
                            p50Micros: 0, p99Micros: 0, flushes: stats.logFlushes)
    }

    private func insertCost(_ d: BenchData, preload: Int, algorithm: ANNAlgorithm, path: String) async throws -> SizeCost {
        let (manager, store) = try await createVectorStore(config(path, dimension: d.dimension, algorithm: algorithm, policy: .always))
        var start = 0
        while start < preload {
            let end = min(start + 5000, preload)
            try await store.insert((start..<end).map(d.row), ids: (start..<end).map { .int(Int64($0)) })
            start = end
        }
        try await manager.inMemoryStore.checkpoint()  // the log is cut: the measurement starts clean
        let measured = 1000
        let started = ContinuousClock.now
        for i in preload..<(preload + measured) {
            try await store.insert([d.row(i)], ids: [.int(Int64(i))])
        }
        let mean = (ContinuousClock.now - started).seconds / Double(measured)
        try await manager.disconnect()
        return SizeCost(collectionSize: preload, algorithm: algorithm.rawValue, meanMicros: mean * 1e6)
    }

    /// Search latency with and without a concurrent durable writer (2 reader tasks, 2 s each).
    private func searchesDuringWrites(_ d: BenchData, path: String) async throws -> MixedResult {
        let size = min(20_000, d.rows - 5_000)
        let (manager, store) = try await createVectorStore(config(path, dimension: d.dimension, algorithm: .hnsw, policy: .always))
        try await store.insert((0..<size).map(d.row), ids: (0..<size).map { .int(Int64($0)) })
        let queries = (0..<min(200, d.queryCount)).map { Array(d.query($0)) }

        func readers(seconds: Double) async throws -> [Double] {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for r in 0..<2 {
                    group.addTask {
                        var latencies: [Double] = []
                        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
                        var i = r
                        while ContinuousClock.now < end {
                            let t = ContinuousClock.now
                            _ = try await store.search(queries[i % queries.count], limit: 10)
                            latencies.append((ContinuousClock.now - t).seconds)
                            i += 2
                            // As a server's request handler would, give other tasks (the writer's)
                            // a turn on the cooperative threads between searches.
                            await Task.yield()
                        }
                        return latencies
                    }
                }
                var all: [Double] = []
                for try await part in group { all += part }
                return all.sorted()
            }
        }
        let baseline = try await readers(seconds: 2)
        async let writes: Int = {
            var n = 0
            let end = ContinuousClock.now + .seconds(2)
            while ContinuousClock.now < end {
                try await store.insert([d.row(size + n % 5000)], ids: [.int(Int64(size + n % 5000))])
                n += 1
            }
            return n
        }()
        let mixed = try await readers(seconds: 2)
        let written = try await writes
        try await manager.disconnect()
        func p(_ v: [Double], _ q: Double) -> Double { v.isEmpty ? 0 : v[min(v.count - 1, Int(Double(v.count) * q))] * 1e6 }
        return MixedResult(
            baselineQPS: Double(baseline.count) / 2, baselineP50Micros: p(baseline, 0.5), baselineP99Micros: p(baseline, 0.99),
            mixedQPS: Double(mixed.count) / 2, mixedP50Micros: p(mixed, 0.5), mixedP99Micros: p(mixed, 0.99),
            mixedMaxMicros: (mixed.last ?? 0) * 1e6, writerOpsPerSecond: Double(written) / 2)
    }

    private func checkpointAndOpen(_ d: BenchData, path: String) async throws -> FullSetResult {
        let config = config(path, dimension: d.dimension, algorithm: .hnsw, policy: .always)
        var started = ContinuousClock.now
        var build = 0.0, checkpoint = 0.0, pause = 0.0
        if !reuseFull {
            let (manager, store) = try await createVectorStore(config)
            try await store.insert((0..<d.rows).map(d.row), ids: (0..<d.rows).map { .int(Int64($0)) })
            build = (ContinuousClock.now - started).seconds
            started = .now
            try await manager.inMemoryStore.checkpoint()
            checkpoint = (ContinuousClock.now - started).seconds
            pause = manager.inMemoryStore.persistenceHealth().lastCheckpointPauseSeconds ?? 0
            try await manager.disconnect()
        }
        var bytes = 0
        for name in ["payloads.json", "ann_metadata.json", "ann_index.faiss", "ann_vectors.bin"] {
            bytes += (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
        }
        // Best of 3 opens (the files are in the page cache, as hnswlib's are in peers.py).
        var open = Double.infinity
        var summary = ""
        for _ in 0..<3 {
            let store = try InMemoryVectorStore(config: config)
            started = .now
            try await store.connect()
            let seconds = (ContinuousClock.now - started).seconds
            if seconds < open { summary = store.persistenceHealth().lastOpen ?? "" }
            open = min(open, seconds)
            let count = try store.count()
            guard count == d.rows else { throw BenchError("reopened \(count) vectors, expected \(d.rows)") }
            try await store.disconnect()
        }
        return FullSetResult(
            buildSeconds: build, checkpointSeconds: checkpoint, checkpointPauseSeconds: pause, checkpointBytes: bytes,
            openSeconds: open, openSummary: summary)
    }
}

private func fmt(_ value: Double) -> String {
    value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
