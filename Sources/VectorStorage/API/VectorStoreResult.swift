/// One vector returned by a search, `get` or `list`.
public struct VectorStoreResult: Sendable, Hashable {
    /// The vector's id, of the kind it was inserted with.
    public var id: VectorID
    /// Similarity to the query, higher is more similar for every metric (cosine similarity, dot
    /// product, or the negated Euclidean distance); `nil` for `get` and `list`.
    public var score: Float?
    /// The vector, bit-for-bit as inserted; only when asked for (`SearchOptions.includeVectors`)
    /// and always for `get`.
    public var vector: [Float]?
    /// The payload (an empty object when none was given).
    public var payload: Payload

    /// A result (the store creates them; tests and adapters may too).
    public init(id: VectorID, score: Float? = nil, vector: [Float]? = nil, payload: Payload = [:]) {
        self.id = id
        self.score = score
        self.vector = vector
        self.payload = payload
    }
}

/// Per-query search options.
public struct SearchOptions: Sendable, Hashable {
    /// HNSW candidate-list size for this query (larger: better recall, slower). `nil` uses the
    /// collection's `annEfSearch`.
    public var efSearch: Int?
    /// Return each result's vector.
    public var includeVectors: Bool
    /// Force an exact (brute-force) search even on an HNSW collection.
    public var exact: Bool

    /// Options for one search; the defaults use the collection's settings.
    public init(efSearch: Int? = nil, includeVectors: Bool = false, exact: Bool = false) {
        self.efSearch = efSearch
        self.includeVectors = includeVectors
        self.exact = exact
    }
}
