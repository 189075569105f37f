/// Why dense vectors or a graph layout could not be turned into an index.
///
/// Thrown by the initialisers that rebuild an index from stored data (``FlatIndex/init(dimension:metric:vectors:)``,
/// ``HNSWIndex/init(dimension:metric:parameters:vectors:layout:)``); they validate everything and
/// never trap on bad input.
public enum IndexImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dimension is not positive.
    case invalidDimension(Int)
    /// The vector buffer does not hold a whole number of rows, or not the number the layout needs.
    case vectorCountMismatch(floats: Int, dimension: Int, expectedRows: Int?)
    /// A vector component is NaN or infinite.
    case nonFiniteComponent(row: Int)
    /// The HNSW layout is inconsistent; `reason` names the field and the value at fault.
    case malformedLayout(reason: String)
    /// The layout's `M` (from `cumulativeNeighborsPerLevel`) differs from the parameters' `m`.
    case parameterMismatch(layoutM: Int, parametersM: Int)

    /// A message naming the value at fault and what would be valid.
    public var description: String {
        switch self {
        case .invalidDimension(let d):
            return "invalid dimension \(d): must be positive"
        case .vectorCountMismatch(let floats, let dimension, let expectedRows):
            if let expectedRows {
                return "vector buffer holds \(floats) floats; expected \(expectedRows) rows × \(dimension) = \(expectedRows * dimension)"
            }
            return "vector buffer holds \(floats) floats, not a multiple of the dimension \(dimension)"
        case .nonFiniteComponent(let row):
            return "vector row \(row) has a NaN or infinite component; every component must be finite"
        case .malformedLayout(let reason):
            return "malformed HNSW layout: \(reason)"
        case .parameterMismatch(let layoutM, let parametersM):
            return "HNSW layout was built with M = \(layoutM) but the parameters say M = \(parametersM)"
        }
    }
}
