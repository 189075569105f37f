/// The distance of a FAISS index, with FAISS's own numbering (`faiss::MetricType`).
///
/// Cosine collections are stored as normalised vectors with ``innerProduct``; the caller
/// normalises, the codec writes what it is given.
package enum FaissMetric: Int32, Sendable, Hashable, CaseIterable {
    /// `METRIC_INNER_PRODUCT` (0): larger is more similar.
    case innerProduct = 0
    /// `METRIC_L2` (1): squared Euclidean distance, smaller is more similar.
    case l2 = 1

    /// The tag of the `IndexFlat` subclass FAISS writes for this metric (`IndexFlatIP` is
    /// `IxFI`, `IndexFlatL2` is `IxF2`).
    var flatTag: FaissFourCC {
        switch self {
        case .innerProduct: .flatInnerProduct
        case .l2: .flatL2
        }
    }
}
