/// Every error VectorStorage throws.
///
/// Each case carries the value at fault, and `description` says what was wrong and what would
/// be valid. Errors thrown while validating an operation mean nothing of it was applied.
public enum VectorStoreError: Error, Sendable, Hashable {
    /// The store is not connected: call `connect()` (or use a factory function) first.
    case notConnected(collection: String)
    /// A vector has the wrong number of components. `index` is its position in the batch.
    case dimensionMismatch(expected: Int, actual: Int, index: Int)
    /// A vector component is NaN or infinite. `index` is the vector's position in the batch.
    case invalidVector(index: Int, component: Int, value: Float)
    /// An id is empty, too long, or contains a NUL character.
    case invalidID(id: String, reason: String)
    /// The same id appears twice in one batch, at positions `first` and `second`.
    case duplicateID(VectorID, first: Int, second: Int)
    /// The arrays of one batch have different lengths.
    case batchLengthMismatch(vectors: Int, ids: Int, payloads: Int?)
    /// A payload is invalid (too deeply nested, a non-finite number, too large). `path` locates
    /// the offending value inside the payload.
    case invalidPayload(id: VectorID, path: String, reason: String)
    /// The operation would take the collection past `maxVectors`.
    case capacityExceeded(maxVectors: Int, current: Int, adding: Int)
    /// No vector has this id.
    case vectorNotFound(VectorID)
    /// A configuration field has an invalid value.
    case invalidConfiguration(field: String, value: String, reason: String)
    /// An argument of a call is out of range (for example a negative `limit`).
    case invalidArgument(name: String, value: String, reason: String)
    /// A filter cannot be decoded or evaluated.
    case invalidFilter(reason: String)
    /// The persistence directory belongs to another collection.
    case collectionMismatch(expected: String, found: String, path: String)
    /// Another store (in this or another process) holds the persistence directory.
    case directoryLocked(path: String)
    /// A file-system operation failed. `errno` is the system error number when there is one.
    case persistenceFailure(path: String, operation: String, errno: Int32?, reason: String)
    /// The disk is full: the operation was not applied, earlier data is intact, and writes
    /// succeed again once space is freed.
    case diskFull(path: String)
    /// An earlier flush to disk failed, so whether recent writes are durable is unknown; the store
    /// refuses further writes (reads keep working). Disconnect and connect again to recover from disk.
    case writesDisabled(reason: String)
    /// The write-ahead log is damaged in the middle (not a torn tail): later records exist that
    /// cannot be replayed safely. `repair()` salvages everything before `offset`.
    case corruptLog(path: String, offset: Int64, lastGoodSequence: UInt64)
    /// A persistence file exists but cannot be used (wrong type, unreadable, fails its checksum).
    case corruptFile(path: String, reason: String)
    /// A persistence file was written by a newer format version than this library reads.
    case unsupportedFormat(path: String, version: Int)
}

extension VectorStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notConnected(let collection):
            return "Collection '\(collection)' is not connected; call connect() first."
        case .dimensionMismatch(let expected, let actual, let index):
            return "Vector at index \(index) has \(actual) components; the collection's dimension is \(expected)."
        case .invalidVector(let index, let component, let value):
            return "Vector at index \(index) has \(value) at component \(component); every component must be finite."
        case .invalidID(let id, let reason):
            return "Invalid id \(id.debugDescription): \(reason)."
        case .duplicateID(let id, let first, let second):
            return "Id \(id.debugDescription) appears twice in one batch (at \(first) and \(second)); each id may appear once."
        case .batchLengthMismatch(let vectors, let ids, let payloads):
            let p = payloads.map { ", \($0) payloads" } ?? ""
            return "Batch arrays differ in length: \(vectors) vectors, \(ids) ids\(p); they must be equal."
        case .invalidPayload(let id, let path, let reason):
            return "Payload of \(id.debugDescription) is invalid at \(path.isEmpty ? "its root" : "'\(path)'"): \(reason)."
        case .capacityExceeded(let maxVectors, let current, let adding):
            return "Adding \(adding) vectors to \(current) would exceed maxVectors = \(maxVectors); nothing was added."
        case .vectorNotFound(let id):
            return "No vector with id \(id.debugDescription)."
        case .invalidConfiguration(let field, let value, let reason):
            return "Invalid configuration: \(field) = \(value.debugDescription): \(reason)."
        case .invalidArgument(let name, let value, let reason):
            return "Invalid argument \(name) = \(value): \(reason)."
        case .invalidFilter(let reason):
            return "Invalid filter: \(reason)."
        case .collectionMismatch(let expected, let found, let path):
            return "Directory \(path) holds collection '\(found)', not '\(expected)'; nothing was written."
        case .directoryLocked(let path):
            return "Directory \(path) is in use by another store (in this or another process)."
        case .persistenceFailure(let path, let operation, let errno, let reason):
            let code = errno.map { " (errno \($0))" } ?? ""
            return "Could not \(operation) \(path)\(code): \(reason)."
        case .diskFull(let path):
            return "Disk full while writing \(path); the operation was not applied and earlier data is intact."
        case .writesDisabled(let reason):
            return "Writes are disabled: \(reason). Reads still work; reconnect to recover from disk."
        case .corruptLog(let path, let offset, let lastGood):
            return "Write-ahead log \(path) is damaged at byte \(offset) (last good record \(lastGood)) and later records follow; call repair() to salvage up to that point."
        case .corruptFile(let path, let reason):
            return "File \(path) cannot be used: \(reason)."
        case .unsupportedFormat(let path, let version):
            return "File \(path) has format version \(version), newer than this library reads."
        }
    }
}
