import VectorIndex

/// Checks that an ``HNSWGraphLayout`` is exactly what FAISS's `HNSW` can hold and search without
/// reading out of bounds: the same rules FAISS's own loader checks, and stricter ones that every
/// graph FAISS builds satisfies. Used on read (untrusted files) and on write (so that we never
/// produce a file FAISS or we would reject).
enum FaissGraphValidator {
    /// Throws the first defect found; `nodeCount` is the number of vectors the graph indexes.
    ///
    /// Rules: `assign_probas` non-empty, each finite in `0...1`; `cum_nneighbor_per_level` one
    /// longer, starting at 0, non-decreasing; one level per node in `1 ... assign_probas.count`;
    /// `offsets` has `nodeCount + 1` entries, starts at 0 and advances by
    /// `cum_nneighbor_per_level[levels[i]]`, ending at `neighbors.count`; every neighbour is -1 or
    /// a node; the entry point is a node on the top level `max_level = max(levels) - 1` (both -1
    /// for an empty graph); `efConstruction` and `efSearch` at least 1.
    static func validate(_ graph: HNSWGraphLayout, nodeCount: Int) throws(FaissGraphDefect) {
        try validateLevelTables(graph)
        try validateNodes(graph, nodeCount: nodeCount)
        try validateEntry(graph, nodeCount: nodeCount)
        guard graph.efConstruction >= 1 else {
            throw FaissGraphDefect(field: .efConstruction, reason: "\(graph.efConstruction) is not at least 1")
        }
        guard graph.efSearch >= 1 else {
            throw FaissGraphDefect(field: .efSearch, reason: "\(graph.efSearch) is not at least 1")
        }
    }

    private static func validateLevelTables(_ graph: HNSWGraphLayout) throws(FaissGraphDefect) {
        let probabilities = graph.assignProbabilities
        guard !probabilities.isEmpty else {
            throw FaissGraphDefect(field: .assignProbabilities, reason: "no level probabilities")
        }
        for (i, p) in probabilities.enumerated() where !(p.isFinite && p >= 0 && p <= 1) {
            throw FaissGraphDefect(field: .assignProbabilities, index: i, reason: "\(p) is not a probability")
        }
        let cumulative = graph.cumulativeNeighborsPerLevel
        guard cumulative.count == probabilities.count + 1 else {
            throw FaissGraphDefect(
                field: .cumulativeNeighborsPerLevel,
                reason: "\(cumulative.count) entries for \(probabilities.count) levels (expected \(probabilities.count + 1))")
        }
        guard cumulative[0] == 0 else {
            throw FaissGraphDefect(field: .cumulativeNeighborsPerLevel, index: 0, reason: "\(cumulative[0]) is not 0")
        }
        for i in 1..<cumulative.count where cumulative[i] < cumulative[i - 1] {
            throw FaissGraphDefect(
                field: .cumulativeNeighborsPerLevel, index: i,
                reason: "\(cumulative[i]) is less than the previous entry \(cumulative[i - 1])")
        }
    }

    private static func validateNodes(_ graph: HNSWGraphLayout, nodeCount: Int) throws(FaissGraphDefect) {
        let levelLimit = graph.assignProbabilities.count
        guard graph.levels.count == nodeCount else {
            throw FaissGraphDefect(field: .levels, reason: "\(graph.levels.count) entries for \(nodeCount) vectors")
        }
        guard graph.offsets.count == nodeCount + 1 else {
            throw FaissGraphDefect(
                field: .offsets, reason: "\(graph.offsets.count) entries for \(nodeCount) vectors (expected \(nodeCount + 1))")
        }
        guard graph.offsets[0] == 0 else {
            throw FaissGraphDefect(field: .offsets, index: 0, reason: "\(graph.offsets[0]) is not 0")
        }
        for (i, level) in graph.levels.enumerated() {
            guard level >= 1, level <= levelLimit else {
                throw FaissGraphDefect(field: .levels, index: i, reason: "level count \(level) is not in 1...\(levelLimit)")
            }
            let width = UInt64(graph.cumulativeNeighborsPerLevel[Int(level)])
            let (expected, overflow) = graph.offsets[i].addingReportingOverflow(width)
            guard !overflow, graph.offsets[i + 1] == expected else {
                throw FaissGraphDefect(
                    field: .offsets, index: i + 1,
                    reason: "\(graph.offsets[i + 1]) is not offsets[\(i)] + cum_nneighbor_per_level[\(level)] = \(graph.offsets[i]) + \(width)")
            }
        }
        guard graph.offsets[nodeCount] == UInt64(graph.neighbors.count) else {
            throw FaissGraphDefect(
                field: .neighbors, reason: "\(graph.neighbors.count) slots but the offsets end at \(graph.offsets[nodeCount])")
        }
        for (i, neighbor) in graph.neighbors.enumerated() where neighbor < -1 || Int(neighbor) >= nodeCount {
            throw FaissGraphDefect(
                field: .neighbors, index: i, reason: "\(neighbor) is neither -1 nor a node in 0..<\(nodeCount)")
        }
    }

    private static func validateEntry(_ graph: HNSWGraphLayout, nodeCount: Int) throws(FaissGraphDefect) {
        guard nodeCount > 0 else {
            guard graph.entryPoint == -1 else {
                throw FaissGraphDefect(field: .entryPoint, reason: "\(graph.entryPoint) in an empty graph (expected -1)")
            }
            guard graph.maxLevel == -1 else {
                throw FaissGraphDefect(field: .maxLevel, reason: "\(graph.maxLevel) in an empty graph (expected -1)")
            }
            return
        }
        guard graph.entryPoint >= 0, Int(graph.entryPoint) < nodeCount else {
            throw FaissGraphDefect(field: .entryPoint, reason: "\(graph.entryPoint) is not a node in 0..<\(nodeCount)")
        }
        let entryTop = graph.levels[Int(graph.entryPoint)] - 1
        guard graph.maxLevel == entryTop else {
            throw FaissGraphDefect(
                field: .maxLevel, reason: "\(graph.maxLevel) is not the top level \(entryTop) of entry point \(graph.entryPoint)")
        }
        for (i, level) in graph.levels.enumerated() where level - 1 > graph.maxLevel {
            throw FaissGraphDefect(
                field: .levels, index: i, reason: "node on level \(level - 1), above max_level \(graph.maxLevel)")
        }
    }
}
