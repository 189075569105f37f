/// An HNSW graph in the layout FAISS uses (`faiss/impl/HNSW.h`), over nodes `0 ..< levels.count`.
///
/// This is how a graph leaves and re-enters an index (export for the `ann_index.faiss` file, import
/// for a fast open). Node `i` is the `i`-th vector of the accompanying dense vector array.
public struct HNSWGraphLayout: Sendable, Hashable {
    /// Probability of each level when a node is inserted (`assign_probas`).
    public var assignProbabilities: [Double]
    /// Cumulative number of neighbour slots per level (`cum_nneighbor_per_level`), starting at 0:
    /// with M = 16, `[0, 32, 48, 64, ...]` (2·M on level 0, M above).
    public var cumulativeNeighborsPerLevel: [Int32]
    /// Per node, its highest level + 1 (`levels`): 1 for a node that is on level 0 only.
    public var levels: [Int32]
    /// Per node, where its neighbour slots start in `neighbors`; `levels.count + 1` entries.
    public var offsets: [UInt64]
    /// Neighbour lists, level 0 first for each node, unused slots hold -1.
    public var neighbors: [Int32]
    /// The entry node, or -1 for an empty graph.
    public var entryPoint: Int32
    /// The highest level in the graph (`max_level`), -1 for an empty graph.
    public var maxLevel: Int32
    public var efConstruction: Int32
    public var efSearch: Int32

    public init(
        assignProbabilities: [Double], cumulativeNeighborsPerLevel: [Int32], levels: [Int32],
        offsets: [UInt64], neighbors: [Int32], entryPoint: Int32, maxLevel: Int32,
        efConstruction: Int32, efSearch: Int32
    ) {
        self.assignProbabilities = assignProbabilities
        self.cumulativeNeighborsPerLevel = cumulativeNeighborsPerLevel
        self.levels = levels
        self.offsets = offsets
        self.neighbors = neighbors
        self.entryPoint = entryPoint
        self.maxLevel = maxLevel
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }
}
