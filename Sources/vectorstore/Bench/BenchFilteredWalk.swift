import Foundation
import VectorIndex

/// `vectorstore bench --sections filtered-walk`: filtered search at the index level, a distinct
/// filter per query, comparing the ways an HNSW index can answer it.
///
/// For each filter kind (`random`: each slot independently with probability s; `clustered`: the
/// s·n slots most similar to a random base row, so the matches form one region of the space,
/// usually away from the query) and each selectivity s, every query gets its own filter and is
/// answered by:
///
/// - `score-all walk`: the graph walk that scores every node it meets and returns only accepted
///   ones (rejected nodes guide the walk),
/// - `two-hop walk`: the walk over accepted nodes with two-hop expansion through rejected ones,
/// - `exact scan`: every match scored (the filter given as a sorted slot list),
/// - `automatic`: what the index picks, the filter in the form a planner would build for that
///   pick (a sorted list for a scan, a bitset for a walk).
///
/// Recall@10 is measured against the exact filtered scan. Unfiltered queries/s are measured
/// before every row, in the same run, so each row carries its own baseline.
struct BenchFilteredWalk {
    let data: BenchData
    let metric: Metric
    let parameters: HNSWParameters
    let graphCache: String?
    let queryCount: Int
    let log: @Sendable (String) -> Void

    /// One way of answering a filtered query.
    struct Method {
        let name: String
        let options: @Sendable (_ bitset: SlotFilter, _ list: SlotFilter, _ ef: Int) -> IndexSearchOptions
    }

    struct Cell {
        var recall = 0.0
        var qps = 0.0
        var short = 0
        var path = ""
    }

    struct Row {
        var kind: String
        var selectivity: Double
        var meanMatches: Double
        var unfilteredQPS: Double
        var cells: [Cell]
    }

    /// Shares of the collection a filter accepts; `VECTORSTORE_WALK_SELECTIVITIES` (comma-separated
    /// fractions) overrides them for tuning runs.
    var selectivities: [Double] {
        ProcessInfo.processInfo.environment["VECTORSTORE_WALK_SELECTIVITIES"]
            .map { $0.split(separator: ",").compactMap { Double($0) } } ?? [0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
    }

    /// Filter kinds; `VECTORSTORE_WALK_KINDS` (`random`, `clustered`, comma-separated) overrides them.
    var kinds: [String] {
        ProcessInfo.processInfo.environment["VECTORSTORE_WALK_KINDS"]
            .map { $0.split(separator: ",").map(String.init) } ?? ["random", "clustered"]
    }

    func run() -> [Row] {
        let index = buildIndex()
        let ef = parameters.efSearch
        let nq = min(queryCount, data.queryCount)
        let methods: [Method] = [
            Method(name: "score-all walk") { bitset, _, ef in
                var o = IndexSearchOptions(efSearch: ef, filter: bitset, filterStrategy: .graphWalk)
                o.filteredWalk = .scoreEveryNode
                return o
            },
            Method(name: "two-hop walk") { bitset, _, ef in
                var o = IndexSearchOptions(efSearch: ef, filter: bitset, filterStrategy: .graphWalk)
                o.filteredWalk = .twoHop
                return o
            },
            Method(name: "exact scan") { _, list, ef in
                IndexSearchOptions(efSearch: ef, filter: list, filterStrategy: .exactScan)
            },
        ]
        for i in 0 ..< min(200, nq) { _ = search(index, i, IndexSearchOptions(efSearch: ef)) }
        let clusteredRankings = clusteredPrefixes(count: nq, longest: Int((selectivities.max() ?? 0) * Double(data.rows)))
        var rows: [Row] = []
        for kind in kinds {
            for s in selectivities {
                let matchesWanted = max(1, Int((s * Double(data.rows)).rounded()))
                let lists: [[Int32]] = (0 ..< nq).map { q in
                    if kind == "random" {
                        var rng = SplitMix(seed: UInt64(q) &* 7919 &+ UInt64(s * 1e6))
                        var list: [Int32] = []
                        list.reserveCapacity(matchesWanted + matchesWanted / 4)
                        for slot in 0 ..< data.rows where rng.nextDouble() < s { list.append(Int32(slot)) }
                        return list
                    }
                    return clusteredRankings[q].prefix(matchesWanted).sorted()
                }
                let listFilters = lists.map { SlotFilter(sortedSlots: $0) }
                let bitsets = lists.map { list -> SlotFilter in
                    var set = SlotBitset(capacity: data.rows)
                    for slot in list { set.insert(Int(slot)) }
                    return SlotFilter(set)
                }
                let truth: [[Int]] = (0 ..< nq).map { q in
                    search(index, q, IndexSearchOptions(efSearch: ef, filter: listFilters[q], filterStrategy: .exactScan)).map(\.slot)
                }
                let unfiltered = BenchMeasure.bestQPS(count: nq) { q in _ = search(index, q, IndexSearchOptions(efSearch: ef)) }
                var cells: [Cell] = []
                let plans = (0 ..< nq).map { index.filteredSearchPlan(matches: lists[$0].count, k: 10, efSearch: ef) }
                let automatic = Method(name: "automatic") { _, _, _ in IndexSearchOptions() }
                for method in methods + [automatic] {
                    let options: [IndexSearchOptions] = (0 ..< nq).map { q in
                        if method.name == "automatic" {
                            return IndexSearchOptions(efSearch: ef, filter: plans[q] == .exactScan ? listFilters[q] : bitsets[q])
                        }
                        return method.options(bitsets[q], listFilters[q], ef)
                    }
                    var cell = Cell()
                    var hits = 0, expected = 0
                    for q in 0 ..< nq {
                        let found = search(index, q, options[q]).map(\.slot)
                        if found.count < min(10, lists[q].count) { cell.short += 1 }
                        hits += Set(found).intersection(truth[q]).count
                        expected += truth[q].count
                    }
                    cell.recall = Double(hits) / Double(max(expected, 1))
                    cell.qps = BenchMeasure.bestQPS(count: nq) { q in _ = search(index, q, options[q]) }
                    if method.name == "automatic" {
                        let walks = plans.filter { $0 == .graphWalk }.count
                        cell.path = walks == 0 ? "scan" : walks == nq ? "walk" : "\(walks) walk"
                    }
                    cells.append(cell)
                }
                let mean = Double(lists.reduce(0) { $0 + $1.count }) / Double(nq)
                let row = Row(kind: kind, selectivity: s, meanMatches: mean, unfilteredQPS: unfiltered, cells: cells)
                log(format(row))
                rows.append(row)
            }
        }
        printTable(rows, names: methods.map(\.name) + ["automatic"], ef: ef, nq: nq)
        return rows
    }

    private func search(_ index: HNSWIndex, _ q: Int, _ options: IndexSearchOptions) -> [SearchHit] {
        data.query(q).withUnsafeBufferPointer { index.search($0, k: 10, options: options) }
    }

    private func buildIndex() -> HNSWIndex {
        let d = data.dimension
        if let path = graphCache, FileManager.default.fileExists(atPath: path),
           let layout = try? BenchGraphCache.load(from: path),
           let index = data.base.withUnsafeBufferPointer({
               try? HNSWIndex(dimension: d, metric: metric, parameters: parameters, vectors: $0, layout: layout)
           }) {
            log("graph loaded from \(path)")
            return index
        }
        log("building HNSW (1 thread) over \(data.rows) x \(d) ...")
        let index = HNSWIndex(dimension: d, metric: metric, parameters: parameters)
        _ = data.base.withUnsafeBufferPointer { index.add($0, threads: 1) }
        if let path = graphCache { try? BenchGraphCache.save(index.exportLayout().layout, to: path) }
        return index
    }

    /// Per query, the `longest` base rows most similar to a random base row (its centroid), best
    /// first; prefixes of this ranking are the clustered filters.
    private func clusteredPrefixes(count: Int, longest: Int) -> [[Int32]] {
        guard longest > 0 else { return Array(repeating: [], count: count) }
        log("ranking rows around \(count) random centroids ...")
        let d = data.dimension
        let flat = FlatIndex(dimension: d, metric: metric)
        _ = data.base.withUnsafeBufferPointer { flat.add($0, threads: 1) }
        var out: [[Int32]] = []
        var q = 0
        while q < count {
            let chunk = min(16, count - q)
            var centroids: [Float] = []
            for c in q ..< q + chunk {
                var rng = SplitMix(seed: 0xC1 &+ UInt64(c))
                let row = Int(rng.next() % UInt64(data.rows))
                centroids.append(contentsOf: data.base[row * d ..< (row + 1) * d])
            }
            let hits = centroids.withUnsafeBufferPointer { flat.search(batch: $0, k: longest) }
            out.append(contentsOf: hits.map { $0.map { Int32($0.slot) } })
            q += chunk
        }
        return out
    }

    private func format(_ row: Row) -> String {
        var line = String(format: "  %@ %5.1f %% (%.0f matches): unfiltered %.0f QPS", row.kind, row.selectivity * 100,
                          row.meanMatches, row.unfilteredQPS)
        for cell in row.cells {
            line += String(format: " | %.3f %.0f", cell.recall, cell.qps)
        }
        return line
    }

    private func printTable(_ rows: [Row], names: [String], ef: Int, nq: Int) {
        print("\nfiltered search, index level: \(data.name), \(data.rows) x \(data.dimension), M \(parameters.m), "
              + "efConstruction \(parameters.efConstruction), efSearch \(ef), k 10, \(nq) queries, a distinct filter per query")
        print("recall@10 against the exact filtered scan; queries/s (best of 3); x = ratio to the unfiltered queries/s measured just before the row")
        var header = "| filter | share | matches | unfiltered QPS |"
        var rule = "|---|---|---|---|"
        for name in names {
            header += " \(name) recall | QPS | x |"
            rule += "---|---|---|"
        }
        print(header + " automatic path |")
        print(rule + "---|")
        for row in rows {
            var line = String(format: "| %@ | %g %% | %.0f | %.0f |", row.kind, row.selectivity * 100, row.meanMatches, row.unfilteredQPS)
            for cell in row.cells {
                let short = cell.short > 0 ? " (\(cell.short) short)" : ""
                line += String(format: " %.3f%@ | %.0f | %.2f |", cell.recall, short, cell.qps, cell.qps / row.unfilteredQPS)
            }
            line += " \(row.cells.last?.path ?? "") |"
            print(line)
        }
        let spread = rows.map(\.unfilteredQPS)
        if let low = spread.min(), let high = spread.max() {
            print(String(format: "unfiltered QPS across the run: %.0f – %.0f", low, high))
        }
    }
}
