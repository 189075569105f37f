extension VectorStoreError: CustomStringConvertible {
    /// What went wrong, naming the value at fault and what would be valid.
    public var description: String {
        switch detail {
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
        case .connectionFailed(let backend, let endpoint, let reason):
            return "Could not connect to the \(backend) server at \(endpoint): \(reason)."
        case .unsupportedByBackend(let backend, let feature, let reason):
            return "The \(backend) backend cannot do \(feature) exactly: \(reason); nothing was changed."
        case .backendFailure(let backend, let operation, let reason):
            return "The \(backend) server failed during \(operation): \(reason)."
        }
    }
}
