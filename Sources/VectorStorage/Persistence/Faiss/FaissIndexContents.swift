import VectorIndex

/// Everything a supported FAISS index file holds: an `IndexIDMap2` over an `IndexFlat`
/// (exact collections) or over an `IndexHNSWFlat` (HNSW collections).
package struct FaissIndexContents: Sendable, Hashable {
    /// Number of components of each vector (`d`), at least 1.
    package var dimension: Int
    /// The metric of the index (the same at every level of the file).
    package var metric: FaissMetric
    /// Number of vectors (`ntotal`).
    package var count: Int
    /// `count × dimension` floats, row-major: vector `i` is
    /// `vectors[i * dimension ..< (i + 1) * dimension]`.
    package var vectors: [Float]
    /// The caller's id of each vector (`IndexIDMap2::id_map`), `count` of them, all different.
    package var ids: [Int64]
    /// The HNSW graph over nodes `0 ..< count` when the index is an `IndexHNSWFlat`, else `nil`.
    package var graph: HNSWGraphLayout?

    package init(
        dimension: Int, metric: FaissMetric, count: Int, vectors: [Float], ids: [Int64],
        graph: HNSWGraphLayout?
    ) {
        self.dimension = dimension
        self.metric = metric
        self.count = count
        self.vectors = vectors
        self.ids = ids
        self.graph = graph
    }
}
