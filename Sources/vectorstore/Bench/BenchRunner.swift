import Foundation
import VectorIndex

/// Runs every measurement of `vectorstore bench` on one data set.
struct BenchRunner: Sendable {
    let data: BenchData
    let metric: Metric
    let parameters: HNSWParameters
    let efs: [Int]
    let twoThreads: Bool
    let insertSample: Int
    let sections: Set<String>
    /// When set, the 1-thread build is skipped if this file holds a graph (and written otherwise).
    var graphCache: String?
    let log: @Sendable (String) -> Void

    func run() -> BenchReport {
        let n = data.rows, d = data.dimension
        var buildSeconds = 0.0, rssGrowth: Double?, accounted = 0.0, kernelName = "-"
        var sweep: [SweepPoint] = [], smallestEf: Int?, filtered: [FilteredPoint] = []
        var repairSeconds: Double?, recallAfterDelete: Double?
        let filteredEf = parameters.efSearch
        if sections.contains("hnsw") {
            log("building HNSW (1 thread) over \(n) x \(d) ...")
            let rssBefore = BenchMeasure.residentBytes()
            var cached: HNSWIndex?
            if let path = graphCache, FileManager.default.fileExists(atPath: path) {
                let layout = try? BenchGraphCache.load(from: path)
                cached = layout.flatMap { layout in
                    data.base.withUnsafeBufferPointer {
                        try? HNSWIndex(dimension: d, metric: metric, parameters: parameters, vectors: $0, layout: layout)
                    }
                }
                if cached != nil { log("  graph loaded from \(path) (build time not measured)") }
            }
            let index = cached ?? HNSWIndex(dimension: d, metric: metric, parameters: parameters)
            if cached == nil {
                buildSeconds = BenchMeasure.seconds { data.base.withUnsafeBufferPointer { _ = index.add($0, threads: 1) } }.1
                if let path = graphCache { try? BenchGraphCache.save(index.exportLayout().layout, to: path) }
            }
            let rssAfter = BenchMeasure.residentBytes()
            if let rssBefore, let rssAfter { rssGrowth = Double(rssAfter - rssBefore) }
            kernelName = index.kernelName
            log(String(format: "  %.1f s", buildSeconds))

            log("efSearch sweep ...")
            for i in 0 ..< min(200, data.queryCount) { _ = search(index, i, ef: 64) }
            for ef in efs {
                let recall = meanRecall(index, ef: ef)
                let qps = BenchMeasure.bestQPS(count: data.queryCount) { i in _ = search(index, i, ef: ef) }
                let qps2 = twoThreads ? BenchMeasure.bestQPS(count: data.queryCount, threads: 2) { i in _ = search(index, i, ef: ef) } : nil
                sweep.append(SweepPoint(ef: ef, recall10: recall, qps: qps, qps2Threads: qps2))
                log(String(format: "  ef %d: recall %.3f, %.0f QPS", ef, recall, qps) + (qps2.map { String(format: ", %.0f QPS on 2 threads (%.2f cores busy)", $0, BenchMeasure.lastUtilisation) } ?? ""))
            }
            smallestEf = (10 ... 512).first { meanRecall(index, ef: $0) >= 0.95 }

            if sections.contains("filtered") {
                log("filtered searches ...")
                filtered = [0.5, 0.1, 0.01, 0.001].map { measureFiltered(index, selectivity: $0, ef: filteredEf) }
            }
            accounted = Double(index.memoryBytes) / Double(max(n, 1))
            if sections.contains("repair") { (repairSeconds, recallAfterDelete) = measureRepair(index) }
        }

        var flatQPS = 0.0, flatHits = 0, batchSeconds = Double.infinity
        if sections.contains("flat") {
            log("flat exact search ...")
            let flat = FlatIndex(dimension: d, metric: metric)
            _ = data.base.withUnsafeBufferPointer { flat.add($0, threads: 1) }
            for i in 0 ..< min(50, data.queryCount) { _ = flatSearch(flat, i) }
            flatQPS = BenchMeasure.bestQPS(count: data.queryCount) { i in _ = flatSearch(flat, i) }
            for i in 0 ..< data.queryCount {
                let found = Set(flatSearch(flat, i).map { Int32($0.slot) })
                flatHits += data.truth(i, k: 10).filter { found.contains($0) }.count
            }
            batchSeconds = BenchMeasure.seconds { data.queries.withUnsafeBufferPointer { _ = flat.search(batch: $0, k: 10) } }.1
        }

        var build2: Double?
        if twoThreads && sections.contains("hnsw") {
            log("building HNSW (2 threads) ...")
            let index2 = HNSWIndex(dimension: d, metric: metric, parameters: parameters)
            let cpuBefore = BenchMeasure.processCPUSeconds()
            let seconds = BenchMeasure.wallSeconds { data.base.withUnsafeBufferPointer { _ = index2.add($0, threads: 2) } }.1
            build2 = seconds
            log(String(format: "  %.1f s (%.2f cores busy)", seconds, (BenchMeasure.processCPUSeconds() - cpuBefore) / seconds))
        }

        var insertOne: Double?, insertBatched: Double?
        let sample = min(insertSample, n)
        if sample > 0 && sections.contains("insert") {
            log("insert rates over \(sample) vectors ...")
            let one = HNSWIndex(dimension: d, metric: metric, parameters: parameters)
            let oneSeconds = BenchMeasure.seconds {
                data.base.withUnsafeBufferPointer { all in
                    for r in 0 ..< sample { _ = one.add(UnsafeBufferPointer(rebasing: all[r * d ..< (r + 1) * d]), threads: 1) }
                }
            }.1
            let batched = HNSWIndex(dimension: d, metric: metric, parameters: parameters)
            let batchedSeconds = BenchMeasure.seconds {
                data.base.withUnsafeBufferPointer { all in
                    var r = 0
                    while r < sample {
                        let end = min(sample, r + 1000)
                        _ = batched.add(UnsafeBufferPointer(rebasing: all[r * d ..< end * d]), threads: 1)
                        r = end
                    }
                }
            }.1
            insertOne = Double(sample) / oneSeconds
            insertBatched = Double(sample) / batchedSeconds
        }

        return BenchReport(
            data: data.name, n: n, dim: d, queries: data.queryCount, metric: metric.rawValue, kernels: kernelName,
            m: parameters.m, efConstruction: parameters.efConstruction, buildSeconds: buildSeconds,
            buildSeconds2Threads: build2, indexMB: rssGrowth.map { $0 / 1_048_576 },
            bytesPerVectorRSS: rssGrowth.map { $0 / Double(n) }, bytesPerVectorAccounted: accounted,
            insertOneAtATimePerSecond: insertOne, insertBatchedPerSecond: insertBatched,
            insertSampleSize: insertOne == nil ? nil : sample, sweep: sweep,
            qpsAt90: BenchMeasure.qps(at: 0.90, sweep: sweep), qpsAt95: BenchMeasure.qps(at: 0.95, sweep: sweep),
            qpsAt99: BenchMeasure.qps(at: 0.99, sweep: sweep),
            qpsAt95TwoThreads: twoThreads
                ? BenchMeasure.qps(at: 0.95, sweep: sweep.map { SweepPoint(ef: $0.ef, recall10: $0.recall10, qps: $0.qps2Threads ?? 0) })
                : nil,
            smallestEfForRecall95: smallestEf, flatQPS: flatQPS,
            flatGBPerSecond: flatQPS * Double(n * d * 4) / 1e9,
            flatRecall10: Double(flatHits) / Double(data.queryCount * 10),
            flatBatchQPS: Double(data.queryCount) / batchSeconds, filtered: filtered, filteredEf: filteredEf,
            repairSeconds: repairSeconds, recallAfterDelete30: recallAfterDelete)
    }

    private func search(_ index: HNSWIndex, _ i: Int, ef: Int, filter: SlotFilter? = nil) -> [SearchHit] {
        data.query(i).withUnsafeBufferPointer { index.search($0, k: 10, options: IndexSearchOptions(efSearch: ef, filter: filter)) }
    }

    private func flatSearch(_ flat: FlatIndex, _ i: Int) -> [SearchHit] {
        data.query(i).withUnsafeBufferPointer { flat.search($0, k: 10, options: .init()) }
    }

    private func meanRecall(_ index: HNSWIndex, ef: Int) -> Double {
        var hits = 0
        for i in 0 ..< data.queryCount {
            let found = Set(search(index, i, ef: ef).map { Int32($0.slot) })
            hits += data.truth(i, k: 10).filter { found.contains($0) }.count
        }
        return Double(hits) / Double(data.queryCount * 10)
    }

    /// Removes 30 % of the vectors one call at a time (automatic repairs run inside some of the
    /// calls) and returns the longest single `remove` call and recall@10 afterwards against an
    /// exact search over the remaining vectors. Mutates the index: run it last.
    private func measureRepair(_ index: HNSWIndex) -> (Double, Double) {
        log("removing 30 % (automatic repairs) ...")
        var rng = SplitMix(seed: 30)
        var longest = 0.0
        for slot in 0 ..< data.rows where rng.nextDouble() < 0.3 {
            longest = max(longest, BenchMeasure.wallSeconds { index.remove(slot: slot) }.1)
        }
        var hits = 0, expected = 0
        for i in 0 ..< data.queryCount {
            let truth = data.query(i).withUnsafeBufferPointer {
                index.search($0, k: 10, options: IndexSearchOptions(exact: true))
            }.map(\.slot)
            let found = search(index, i, ef: parameters.efSearch).map(\.slot)
            hits += Set(found).intersection(truth).count
            expected += truth.count
        }
        let recall = Double(hits) / Double(max(expected, 1))
        log(String(format: "  longest remove (with repair) %.3f s; recall@10 after %.3f", longest, recall))
        return (longest, recall)
    }

    /// A seeded random filter of the given selectivity; ground truth from an exact filtered scan.
    private func measureFiltered(_ index: HNSWIndex, selectivity: Double, ef: Int) -> FilteredPoint {
        var rng = SplitMix(seed: UInt64(selectivity * 1e6) + 17)
        var allowed = SlotBitset(capacity: data.rows)
        for s in 0 ..< data.rows where rng.nextDouble() < selectivity { allowed.insert(s) }
        let filter = SlotFilter(allowed)
        var hits = 0, expected = 0, short = 0
        for i in 0 ..< data.queryCount {
            let truth = data.query(i).withUnsafeBufferPointer {
                index.search($0, k: 10, options: IndexSearchOptions(filter: filter, exact: true))
            }.map(\.slot)
            let found = search(index, i, ef: ef, filter: filter)
            if found.count < min(10, filter.matchCount) { short += 1 }
            if found.contains(where: { !allowed.contains($0.slot) }) { short += 1_000_000 }
            hits += Set(found.map(\.slot)).intersection(truth).count
            expected += truth.count
        }
        let qps = BenchMeasure.bestQPS(count: data.queryCount) { i in _ = search(index, i, ef: ef, filter: filter) }
        log(String(format: "  %.1f %%: recall %.3f, %.0f QPS", selectivity * 100, Double(hits) / Double(max(expected, 1)), qps))
        return FilteredPoint(selectivity: selectivity, matches: filter.matchCount,
                             recall10: Double(hits) / Double(max(expected, 1)), qps: qps, fewerThanKWhenKExist: short)
    }
}
