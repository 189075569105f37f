/// An index that can hand out its graph in FAISS's HNSW layout, for checkpoints.
public protocol GraphExportingIndex: NearestNeighborIndex {
    /// The graph, with `slots[i]` the slot of node `i` of `layout`.
    func exportLayout() -> (slots: [Int], layout: HNSWGraphLayout)
}

extension HNSWIndex: GraphExportingIndex {}
