/// An inconsistency found in an HNSW graph layout by ``FaissGraphValidator``: which field, which
/// element (if one), and why. The reader turns it into a ``FaissFormatError`` at that element's
/// byte offset; the writer into ``FaissWriteError/invalidGraph(_:)``.
struct FaissGraphDefect: Error, Hashable {
    /// The fields of FAISS's `HNSW` struct, in file order.
    enum Field: String, Hashable, Sendable {
        case assignProbabilities = "assign_probas"
        case cumulativeNeighborsPerLevel = "cum_nneighbor_per_level"
        case levels
        case offsets
        case neighbors
        case entryPoint = "entry_point"
        case maxLevel = "max_level"
        case efConstruction
        case efSearch
    }

    var field: Field
    /// The element at fault, or `nil` when the field as a whole is (e.g. its length).
    var index: Int?
    var reason: String

    /// `levels[3]: ...`, FAISS's field names.
    var description: String {
        field.rawValue + (index.map { "[\($0)]" } ?? "") + ": " + reason
    }
}
