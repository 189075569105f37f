/// Why ``FaissIndexWriter`` refused its input. It is thrown before the first byte reaches the
/// sink, so a refused write leaves nothing half-written.
package enum FaissWriteError: Error, Hashable, CustomStringConvertible {
    /// The dimension must be in `1 ... Int32.max`.
    case invalidDimension(Int)
    /// `vectors.count` must be `ids.count × dimension`.
    case vectorCountMismatch(vectorFloats: Int, ids: Int, dimension: Int)
    /// Ids must all differ (FAISS's `IndexIDMap2` keeps a reverse map).
    case duplicateID(Int64, firstIndex: Int, secondIndex: Int)
    /// HNSW node numbers are 32-bit in FAISS: at most `Int32.max` vectors.
    case tooManyVectorsForHNSW(Int)
    /// The graph layout is inconsistent with itself or with the vectors.
    case invalidGraph(String)

    package var description: String {
        switch self {
        case let .invalidDimension(dimension):
            "cannot write a FAISS index of dimension \(dimension): it must be in 1...\(Int32.max)"
        case let .vectorCountMismatch(floats, ids, dimension):
            "cannot write a FAISS index: \(floats) floats given for \(ids) ids of dimension \(dimension)"
                + " (expected \(ids) × \(dimension))"
        case let .duplicateID(id, first, second):
            "cannot write a FAISS index: id \(id) is given twice (vectors \(first) and \(second))"
        case let .tooManyVectorsForHNSW(count):
            "cannot write an HNSW FAISS index of \(count) vectors: at most \(Int32.max)"
        case let .invalidGraph(explanation):
            "cannot write a FAISS index: the HNSW graph is invalid: \(explanation)"
        }
    }
}
