import Foundation

/// One efSearch setting of a sweep.
struct SweepPoint: Codable, Sendable {
    var ef: Int
    var recall10: Double
    var qps: Double
    var qps2Threads: Double?

    enum CodingKeys: String, CodingKey {
        case ef, recall10, qps
        case qps2Threads = "qps_2threads"
    }
}

/// Recall and speed of filtered searches at one selectivity.
struct FilteredPoint: Codable, Sendable {
    var selectivity: Double
    var matches: Int
    var recall10: Double
    var qps: Double
    var fewerThanKWhenKExist: Int

    enum CodingKeys: String, CodingKey {
        case selectivity, matches, recall10, qps
        case fewerThanKWhenKExist = "short_results"
    }
}

/// Everything `vectorstore bench` measures; keys follow `peers.py` where they overlap.
struct BenchReport: Codable, Sendable {
    var data: String
    var n: Int
    var dim: Int
    var queries: Int
    var metric: String
    var kernels: String
    var m: Int
    var efConstruction: Int
    var buildSeconds: Double
    var buildSeconds2Threads: Double?
    var indexMB: Double?
    var bytesPerVectorRSS: Double?
    var bytesPerVectorAccounted: Double
    var insertOneAtATimePerSecond: Double?
    var insertBatchedPerSecond: Double?
    var insertSampleSize: Int?
    var sweep: [SweepPoint]
    var qpsAt90: Double?
    var qpsAt95: Double?
    var qpsAt99: Double?
    var qpsAt95TwoThreads: Double?
    var smallestEfForRecall95: Int?
    var flatQPS: Double
    var flatGBPerSecond: Double
    var flatRecall10: Double
    var flatBatchQPS: Double?
    var filtered: [FilteredPoint]
    var filteredEf: Int
    /// Longest single `remove` call while removing 30 % (it includes an automatic repair).
    var repairSeconds: Double?
    var recallAfterDelete30: Double?

    enum CodingKeys: String, CodingKey {
        case data, n, dim, queries, metric, kernels, m, sweep, filtered
        case efConstruction = "ef_construction"
        case buildSeconds = "build_s"
        case buildSeconds2Threads = "build_s_2threads"
        case indexMB = "index_mb"
        case bytesPerVectorRSS = "bytes_per_vector_rss"
        case bytesPerVectorAccounted = "bytes_per_vector_accounted"
        case insertOneAtATimePerSecond = "insert_one_per_s"
        case insertBatchedPerSecond = "insert_batched_per_s"
        case insertSampleSize = "insert_sample"
        case qpsAt90 = "qps_at_90"
        case qpsAt95 = "qps_at_95"
        case qpsAt99 = "qps_at_99"
        case qpsAt95TwoThreads = "qps_at_95_2threads"
        case smallestEfForRecall95 = "smallest_ef_recall95"
        case flatQPS = "flat_qps"
        case flatGBPerSecond = "flat_gb_per_s"
        case flatRecall10 = "flat_recall10"
        case flatBatchQPS = "flat_batch_qps"
        case filteredEf = "filtered_ef"
        case repairSeconds = "longest_remove_s"
        case recallAfterDelete30 = "recall10_after_delete30"
    }
}

/// The subset of `peers.py --json` output that the comparison needs.
struct PeersFile: Decodable {
    struct Peer: Decodable {
        var peer: String
        var build_s: Double
        var index_mb: Double
        var qps_at_90: Double?
        var qps_at_95: Double?
        var qps_at_99: Double?
    }
    struct Flat: Decodable {
        var qps: Double
        var gb_per_s: Double
    }
    var data: String
    var n: Int
    var peers: [Peer]
    var flat: Flat?
}

extension BenchReport {
    func printTable() {
        func f(_ v: Double?, _ format: String = "%.0f") -> String { v.map { String(format: format, $0) } ?? "-" }
        print("\n\(data): \(n) x \(dim), \(queries) queries, metric \(metric), kernels \(kernels), M=\(m), efC=\(efConstruction)")
        print("build: \(f(buildSeconds, "%.1f")) s (1 thread), \(f(buildSeconds2Threads, "%.1f")) s (2 threads)")
        print("memory: \(f(indexMB, "%.1f")) MB RSS growth = \(f(bytesPerVectorRSS)) B/vector; accounted \(f(bytesPerVectorAccounted)) B/vector")
        if let one = insertOneAtATimePerSecond, let batch = insertBatchedPerSecond, let sample = insertSampleSize {
            print("insert (\(sample) vectors into an empty index): \(f(one)) /s one at a time, \(f(batch)) /s in batches of 1000")
        }
        print(pad("ef", 6) + pad("recall@10", 10) + pad("QPS 1 thr", 11) + pad("QPS 2 thr", 11))
        for p in sweep {
            print(pad("\(p.ef)", 6) + pad(f(p.recall10, "%.3f"), 10) + pad(f(p.qps), 11) + pad(f(p.qps2Threads), 11))
        }
        print("QPS at recall 0.90 / 0.95 / 0.99: \(f(qpsAt90)) / \(f(qpsAt95)) / \(f(qpsAt99)); at 0.95 with 2 threads \(f(qpsAt95TwoThreads))")
        if let e = smallestEfForRecall95 { print("smallest efSearch with recall@10 >= 0.95: \(e)") }
        print("flat exact: \(f(flatQPS)) QPS (\(f(flatGBPerSecond, "%.1f")) GB/s scanned), recall@10 \(f(flatRecall10, "%.3f")); batched \(f(flatBatchQPS)) QPS")
        if let r = repairSeconds, let a = recallAfterDelete30 {
            print(String(format: "remove 30 %%: longest remove call (with automatic repair) %.3f s; recall@10 afterwards %.3f", r, a))
        }
        print("filtered (efSearch \(filteredEf)):")
        for p in filtered {
            print(String(format: "  %6.1f %%  %7d matches  recall@10 %.3f  %8.0f QPS  short results: %d",
                         p.selectivity * 100, p.matches, p.recall10, p.qps, p.fewerThanKWhenKExist))
        }
    }

    /// Prints our figures as ratios to each peer (> 1 means better for us in every column).
    func printRatios(to peers: PeersFile) {
        print("\nratios vs peers.py (\(peers.data), n=\(peers.n)); every ratio > 1 means VectorIndex is better:")
        print(pad("peer", -10) + pad("QPS@0.90", 10) + pad("QPS@0.95", 10) + pad("QPS@0.99", 10) + pad("build speed", 13) + pad("memory/vector", 15))
        func ratio(_ a: Double?, _ b: Double?) -> String {
            guard let a, let b, b > 0 else { return "-" }
            return String(format: "%.2f", a / b)
        }
        for p in peers.peers {
            let theirBytes = p.index_mb * 1_048_576 / Double(max(peers.n, 1))
            let ourBytes = bytesPerVectorRSS ?? bytesPerVectorAccounted
            print(pad(p.peer, -10) + pad(ratio(qpsAt90, p.qps_at_90), 10) + pad(ratio(qpsAt95, p.qps_at_95), 10)
                + pad(ratio(qpsAt99, p.qps_at_99), 10) + pad(ratio(p.build_s, buildSeconds), 13)
                + pad(ratio(theirBytes, ourBytes), 15))
            print(String(format: "           ours: build %.1f s, %.0f B/vector, QPS@0.95 %.0f; theirs: build %.1f s, %.0f B/vector, QPS@0.95 %.0f",
                         buildSeconds, ourBytes, qpsAt95 ?? 0, p.build_s, theirBytes, p.qps_at_95 ?? 0))
        }
        if let flat = peers.flat {
            print(String(format: "faiss IndexFlatIP: %.0f QPS, %.1f GB/s; ours %.0f QPS, %.1f GB/s; ratio %.2f",
                         flat.qps, flat.gb_per_s, flatQPS, flatGBPerSecond, flatQPS / flat.qps))
        }
    }
}

/// Right-aligns `text` in `width` columns (left-aligns for a negative width).
func pad(_ text: String, _ width: Int) -> String {
    let w = abs(width)
    if text.count >= w { return text + " " }
    let fill = String(repeating: " ", count: w - text.count)
    return width < 0 ? text + fill : fill + text
}
