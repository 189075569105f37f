import VectorIndex


/// Chooses and builds the index behind a collection.
struct IndexFactory: Sendable {
    var dimension: Int
    var metric: Metric
    var algorithm: ANNAlgorithm
    var m: Int
    var efConstruction: Int
    var efSearch: Int
    var seed: UInt64 = 0x5EED_CAFE

    init(config: VectorStoreConfig) {
        dimension = config.dimension
        metric = Metric(config.distance)
        algorithm = config.annAlgorithm
        m = config.annM
        efConstruction = config.annEfConstruction
        efSearch = config.annEfSearch
    }

    /// The index repairs itself only when every node is a tombstone: the store runs the repair
    /// itself (see ``CollectionState/repairIndexIfNeeded()``), outside the lock searches take.
    var parameters: HNSWParameters {
        HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed, repairThreshold: 1)
    }

    /// Fraction of graph nodes that may be tombstones before the store repairs the graph.
    static let repairThreshold = 0.1

    /// An empty index for the collection: an HNSW graph, or a flat index for exact collections.
    func makeEmpty() -> any NearestNeighborIndex {
        algorithm == .hnsw
            ? HNSWIndex(dimension: dimension, metric: metric, parameters: parameters)
            : FlatIndex(dimension: dimension, metric: metric)
    }

    /// An index holding `vectors` (row-major), built from a stored graph when one is given and
    /// valid, else by inserting every row; returns the slot of each row.
    func makeIndex(vectors: UnsafeBufferPointer<Float>, graph: HNSWGraphLayout?, threads: Int)
        -> (any NearestNeighborIndex, [Int])
    {
        if algorithm == .hnsw, let graph,
           let index = try? HNSWIndex(
               dimension: dimension, metric: metric, parameters: parameters, vectors: vectors, layout: graph)
        {
            return (index, Array(0..<graph.levels.count))
        }
        let index = makeEmpty()
        let slots = index.add(vectors, threads: threads)
        return (index, slots)
    }
}

extension Metric {
    init(_ distance: DistanceMetric) {
        switch distance {
        case .cosine: self = .cosine
        case .dotProduct: self = .innerProduct
        case .euclidean: self = .euclidean
        }
    }
}
