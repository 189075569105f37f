/// Every error VectorStorage throws.
///
/// Each error carries the value at fault, and ``description`` says what was wrong and what would
/// be valid. Errors thrown while validating an operation mean nothing of it was applied.
///
/// `VectorStoreError` is a struct with a ``code`` rather than an enum, so that new kinds of
/// failure can be added without breaking a caller's exhaustive `switch` (the way NIO's
/// `FileSystemError` and GRDB's `DatabaseError` grow). Match on the code; the value at fault is in
/// typed properties such as ``id``, ``path``, ``expected`` and ``actual``:
///
/// ```swift
/// do {
///     try await store.update("doc1", payload: ["title": "v2"])
/// } catch VectorStoreError.Code.vectorNotFound {
///     // no vector has this id
/// } catch let error as VectorStoreError where error.code == .dimensionMismatch {
///     print("expected \(error.expected!) components, got \(error.actual!)")
/// }
/// ```
///
/// Errors are created with static functions named like their code, for example
/// ``vectorNotFound(_:)`` or ``dimensionMismatch(expected:actual:index:)``; two errors are equal
/// when their code and every value they carry are equal.
public struct VectorStoreError: Error, Sendable, Hashable {
    /// What went wrong, with the values at fault. One case per ``Code``.
    let detail: Detail

    init(_ detail: Detail) {
        self.detail = detail
    }

    /// The kind of failure.
    public var code: Code { detail.code }
}

extension VectorStoreError {
    /// The failures and the values each one carries (internal: the public surface is ``Code``
    /// plus typed properties, so adding a case here is not a breaking change for clients).
    enum Detail: Sendable, Hashable {
        case notConnected(collection: String)
        case dimensionMismatch(expected: Int, actual: Int, index: Int)
        case invalidVector(index: Int, component: Int, value: Float)
        case invalidID(id: String, reason: String)
        case duplicateID(VectorID, first: Int, second: Int)
        case batchLengthMismatch(vectors: Int, ids: Int, payloads: Int?)
        case invalidPayload(id: VectorID, path: String, reason: String)
        case capacityExceeded(maxVectors: Int, current: Int, adding: Int)
        case vectorNotFound(VectorID)
        case invalidConfiguration(field: String, value: String, reason: String)
        case invalidArgument(name: String, value: String, reason: String)
        case invalidFilter(reason: String)
        case collectionMismatch(expected: String, found: String, path: String)
        case directoryLocked(path: String)
        case persistenceFailure(path: String, operation: String, errno: Int32?, reason: String)
        case diskFull(path: String)
        case writesDisabled(reason: String)
        case corruptLog(path: String, offset: Int64, lastGoodSequence: UInt64)
        case corruptFile(path: String, reason: String)
        case unsupportedFormat(path: String, version: Int)
        case connectionFailed(backend: String, endpoint: String, reason: String)
        case unsupportedByBackend(backend: String, feature: String, reason: String)
        case backendFailure(backend: String, operation: String, reason: String)

        var code: Code {
            switch self {
            case .notConnected: return .notConnected
            case .dimensionMismatch: return .dimensionMismatch
            case .invalidVector: return .invalidVector
            case .invalidID: return .invalidID
            case .duplicateID: return .duplicateID
            case .batchLengthMismatch: return .batchLengthMismatch
            case .invalidPayload: return .invalidPayload
            case .capacityExceeded: return .capacityExceeded
            case .vectorNotFound: return .vectorNotFound
            case .invalidConfiguration: return .invalidConfiguration
            case .invalidArgument: return .invalidArgument
            case .invalidFilter: return .invalidFilter
            case .collectionMismatch: return .collectionMismatch
            case .directoryLocked: return .directoryLocked
            case .persistenceFailure: return .persistenceFailure
            case .diskFull: return .diskFull
            case .writesDisabled: return .writesDisabled
            case .corruptLog: return .corruptLog
            case .corruptFile: return .corruptFile
            case .unsupportedFormat: return .unsupportedFormat
            case .connectionFailed: return .connectionFailed
            case .unsupportedByBackend: return .unsupportedByBackend
            case .backendFailure: return .backendFailure
            }
        }
    }
}
