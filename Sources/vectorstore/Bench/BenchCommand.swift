import ArgumentParser
import Foundation
import VectorIndex

/// `vectorstore bench`: measures the search engine on real or synthetic data, the way
/// `../shared/bench/peers.py` measures hnswlib, FAISS and USearch (single thread, one query per
/// call, best of three passes, M = 16, efConstruction = 200), plus two-thread figures, insert
/// rates, exact search and filtered search. Build with `-c release` for meaningful numbers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the vector index (HNSW, flat, filtered) and compare with peers.py results."
    )

    @Option(help: "Data folder in the minilm-debian format (base.f32, queries.f32, groundtruth.i32, meta.json).")
    var data: String?

    @Option(help: "Generate N synthetic vectors instead of reading --data.")
    var synthetic: Int?

    @Option(help: "Dimension of synthetic vectors.")
    var dim: Int = 128

    @Option(help: "Number of synthetic queries.")
    var queries: Int = 1000

    @Option(help: "Metric: ip (inner product, as peers.py), cosine or l2.")
    var metric: String = "ip"

    @Option(help: "HNSW M.")
    var m: Int = 16

    @Option(name: .customLong("ef-construction"), help: "HNSW efConstruction.")
    var efConstruction: Int = 200

    @Option(name: .customLong("ef-search"), help: "Default efSearch (used for filtered searches).")
    var efSearch: Int = HNSWParameters.defaultEfSearch

    @Option(name: .customLong("repair-threshold"), help: "HNSW repairThreshold (fraction of tombstones that triggers a repair).")
    var repairThreshold: Double = HNSWParameters().repairThreshold

    @Option(parsing: .upToNextOption, help: "efSearch values of the sweep.")
    var efs: [Int] = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256]

    @Option(name: .customLong("insert-sample"), help: "Vectors used to measure insert rates (0 skips).")
    var insertSample: Int = 10_000

    @Flag(name: .customLong("no-two-threads"), help: "Skip the two-thread build and search figures.")
    var noTwoThreads = false

    @Option(name: .customLong("walk-queries"), help: "Queries per row of the filtered-walk section (each with its own filter).")
    var walkQueries: Int = 1000

    @Option(parsing: .upToNextOption, help: "Parts to run: hnsw (build, sweep), filtered and repair (need hnsw), flat, insert; filtered-walk (index-level filtered search, walks vs scan).")
    var sections: [String] = ["hnsw", "filtered", "repair", "flat", "insert"]

    @Flag(name: .customLong("cpu-time"), help: "Time single-thread runs with thread CPU time instead of wall-clock time (for a loaded machine).")
    var cpuTime = false

    @Option(name: .customLong("graph-cache"), help: "Reuse the HNSW graph stored in this file, or store it there after the build (for tuning runs; the build time is then not measured).")
    var graphCache: String?

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "JSON written by `peers.py --json`; prints our figures as ratios to the peers.")
    var peers: String?

    func validate() throws {
        if (data == nil) == (synthetic == nil) { throw ValidationError("give exactly one of --data or --synthetic") }
        if let n = synthetic, n < 1 { throw ValidationError("--synthetic must be positive, got \(n)") }
        if dim < 1 { throw ValidationError("--dim must be positive, got \(dim)") }
        if parsedMetric == nil { throw ValidationError("--metric must be ip, cosine or l2, got \(metric)") }
        if m < 2 || efConstruction < 1 || efSearch < 1 { throw ValidationError("--m >= 2, --ef-construction >= 1, --ef-search >= 1") }
        if !(repairThreshold > 0 && repairThreshold <= 1) { throw ValidationError("--repair-threshold must be in (0, 1], got \(repairThreshold)") }
    }

    private var parsedMetric: Metric? {
        switch metric {
        case "ip", "dot", "innerProduct": return .innerProduct
        case "cosine": return .cosine
        case "l2", "euclidean": return .euclidean
        default: return nil
        }
    }

    func run() throws {
        #if DEBUG
        FileHandle.standardError.write(Data("warning: debug build; use `swift run -c release vectorstore bench` for real figures\n".utf8))
        #endif
        BenchMeasure.useThreadCPUTime = cpuTime
        let set: BenchData
        if let folder = data {
            set = try BenchData.load(folder: folder)
        } else {
            set = BenchData.synthetic(rows: synthetic!, dimension: dim, queries: queries, seed: 42)
        }
        if sections.contains("filtered-walk") {
            _ = BenchFilteredWalk(data: set, metric: parsedMetric!, parameters: HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch), graphCache: graphCache, queryCount: walkQueries, log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }).run()
            if sections.count == 1 { return }
        }
        let peersFile = try peers.map { try JSONDecoder().decode(PeersFile.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let runner = BenchRunner(
            data: set, metric: parsedMetric!,
            parameters: HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, repairThreshold: repairThreshold),
            efs: efs, twoThreads: !noTwoThreads, insertSample: insertSample, sections: Set(sections),
            graphCache: graphCache, log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        let report = runner.run()
        report.printTable()
        if let peersFile { report.printRatios(to: peersFile) }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }
}
