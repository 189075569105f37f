import ArgumentParser
import Foundation
import VectorIndex
import VectorStorage

/// `vectorstore bench-api`: what `store.search` costs beyond the index's own search, on the same
/// graph and the same queries, called from a task on the cooperative pool (a server's handler)
/// and from the main actor (an app's UI code or a tool's top-level code).
///
/// The store and a bare `HNSWIndex` are built from the same vectors with the same parameters and
/// seed on one thread, so their graphs are identical (checked: every query's results must match).
struct APIOverheadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-api",
        abstract: "Measure the overhead of store.search over the index's own search, from a pool task and from the main actor.")

    @Option(help: "A data folder in the minilm-debian format (base.f32, queries.f32, meta.json).")
    var data: String

    @Option(name: .customLong("ef-search"), help: "efSearch of every query.")
    var efSearch = VectorStoreConfig.defaultEfSearch

    @Option(help: "Results per query.")
    var limit = 10

    @Option(help: "Passes over the queries; the best of them counts.")
    var passes = 5

    @Option(help: "Use only the first N base vectors (0: all).")
    var rows = 0

    func run() async throws {
        let set = try BenchData.load(folder: data)
        let d = set.dimension
        let n = rows > 0 ? min(rows, set.rows) : set.rows
        let base = Array(set.base[0..<(n * d)])
        let queries = (0..<set.queryCount).map { Array(set.query($0)) }
        print("bench-api: \(n) x \(d) from \(data), \(queries.count) queries, efSearch \(efSearch), limit \(limit)")

        let config = VectorStoreConfig(
            collectionName: "api", dimension: d, maxVectors: n, annPersistIndex: false, annBuildThreads: 1)
        let index = HNSWIndex(
            dimension: d, metric: .cosine,
            parameters: HNSWParameters(
                m: config.annM, efConstruction: config.annEfConstruction, efSearch: efSearch, seed: 0x5EED_CAFE,
                repairThreshold: 1))
        _ = base.withUnsafeBufferPointer { index.add($0, threads: 1) }
        let (manager, store) = try await createVectorStore(config)
        let ids = (0..<n).map { VectorID.int(Int64($0)) }
        for start in stride(from: 0, to: n, by: 10_000) {
            let end = min(start + 10_000, n)
            try await store.insert((start..<end).map { Array(base[($0 * d)..<(($0 + 1) * d)]) }, ids: Array(ids[start..<end]))
        }
        let options = SearchOptions(efSearch: efSearch)
        let indexOptions = IndexSearchOptions(efSearch: efSearch)

        // The graphs must be the same for the comparison to mean anything.
        for q in queries {
            let a = q.withUnsafeBufferPointer { index.search($0, k: limit, options: indexOptions) }.map { Int64($0.slot) }
            let b = try await store.search(q, limit: limit, filter: nil, options: options).map { id -> Int64 in
                if case .int(let v) = id.id { return v }
                return -1
            }
            guard a == b else { throw ValidationError("the store's graph differs from the bare index's; results diverge") }
        }

        var indexQPS = 0.0, poolQPS = 0.0, mainQPS = 0.0
        for _ in 0..<passes {
            indexQPS = max(indexQPS, Self.qps(queries.count) {
                for q in queries { _ = q.withUnsafeBufferPointer { index.search($0, k: limit, options: indexOptions) } }
            })
            poolQPS = max(poolQPS, try await Self.poolPass(store, queries, limit: limit, options: options))
            mainQPS = max(mainQPS, try await Self.mainActorPass(store, queries, limit: limit, options: options))
        }
        func row(_ name: String, _ qps: Double) -> String {
            let overhead = (indexQPS / qps - 1) * 100
            return "  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%8.0f", qps)) q/s   overhead \(String(format: "%5.1f", overhead)) %"
        }
        print("  index.search (HNSWIndex, no store)  \(String(format: "%8.0f", indexQPS)) q/s")
        print(row("store.search from a pool task", poolQPS))
        print(row("store.search from the main actor", mainQPS))
        try await manager.disconnect()
    }

    static func qps(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// One pass from a task on the cooperative pool (not on the main actor).
    @concurrent
    static func poolPass(_ store: any VectorStore, _ queries: [[Float]], limit: Int, options: SearchOptions) async throws
        -> Double
    {
        let start = ContinuousClock.now
        for q in queries { _ = try await store.search(q, limit: limit, filter: nil, options: options) }
        return rate(queries.count, since: start)
    }

    /// One pass from the main actor.
    @MainActor
    static func mainActorPass(_ store: any VectorStore, _ queries: [[Float]], limit: Int, options: SearchOptions)
        async throws -> Double
    {
        let start = ContinuousClock.now
        for q in queries { _ = try await store.search(q, limit: limit, filter: nil, options: options) }
        return rate(queries.count, since: start)
    }

    static func rate(_ count: Int, since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
