extension VectorStoreError {
    /// The store is not connected: call `connect()` (or use a factory function) first.
    public static func notConnected(collection: String) -> Self { Self(.notConnected(collection: collection)) }

    /// A vector has the wrong number of components. `index` is its position in the batch.
    public static func dimensionMismatch(expected: Int, actual: Int, index: Int) -> Self {
        Self(.dimensionMismatch(expected: expected, actual: actual, index: index))
    }

    /// A vector component is NaN or infinite. `index` is the vector's position in the batch.
    public static func invalidVector(index: Int, component: Int, value: Float) -> Self {
        Self(.invalidVector(index: index, component: component, value: value))
    }

    /// An id is empty, too long, or contains a NUL character.
    public static func invalidID(id: String, reason: String) -> Self { Self(.invalidID(id: id, reason: reason)) }

    /// The same id appears twice in one batch, at positions `first` and `second`.
    public static func duplicateID(_ id: VectorID, first: Int, second: Int) -> Self {
        Self(.duplicateID(id, first: first, second: second))
    }

    /// The arrays of one batch have different lengths.
    public static func batchLengthMismatch(vectors: Int, ids: Int, payloads: Int?) -> Self {
        Self(.batchLengthMismatch(vectors: vectors, ids: ids, payloads: payloads))
    }

    /// A payload is invalid (too deeply nested, a non-finite number, too large, or a value the
    /// backend cannot store). `path` locates the offending value inside the payload.
    public static func invalidPayload(id: VectorID, path: String, reason: String) -> Self {
        Self(.invalidPayload(id: id, path: path, reason: reason))
    }

    /// The operation would take the collection past `maxVectors`.
    public static func capacityExceeded(maxVectors: Int, current: Int, adding: Int) -> Self {
        Self(.capacityExceeded(maxVectors: maxVectors, current: current, adding: adding))
    }

    /// No vector has this id.
    public static func vectorNotFound(_ id: VectorID) -> Self { Self(.vectorNotFound(id)) }

    /// A configuration field has an invalid value.
    public static func invalidConfiguration(field: String, value: String, reason: String) -> Self {
        Self(.invalidConfiguration(field: field, value: value, reason: reason))
    }

    /// An argument of a call is out of range (for example a negative `limit`).
    public static func invalidArgument(name: String, value: String, reason: String) -> Self {
        Self(.invalidArgument(name: name, value: value, reason: reason))
    }

    /// A filter cannot be decoded or evaluated.
    public static func invalidFilter(reason: String) -> Self { Self(.invalidFilter(reason: reason)) }

    /// The persistence directory (or the server's collection) belongs to another collection, or
    /// has another dimension or metric.
    public static func collectionMismatch(expected: String, found: String, path: String) -> Self {
        Self(.collectionMismatch(expected: expected, found: found, path: path))
    }

    /// Another store (in this or another process) holds the persistence directory.
    public static func directoryLocked(path: String) -> Self { Self(.directoryLocked(path: path)) }

    /// A file-system operation failed. `errno` is the system error number when there is one.
    public static func persistenceFailure(path: String, operation: String, errno: Int32?, reason: String) -> Self {
        Self(.persistenceFailure(path: path, operation: operation, errno: errno, reason: reason))
    }

    /// The disk is full: the operation was not applied, earlier data is intact, and writes
    /// succeed again once space is freed.
    public static func diskFull(path: String) -> Self { Self(.diskFull(path: path)) }

    /// An earlier flush to disk failed, so whether recent writes are durable is unknown; the store
    /// refuses further writes (reads keep working). Disconnect and connect again to recover from disk.
    public static func writesDisabled(reason: String) -> Self { Self(.writesDisabled(reason: reason)) }

    /// The write-ahead log is damaged in the middle (not a torn tail): later records exist that
    /// cannot be replayed safely. `repair()` salvages everything before `offset`.
    public static func corruptLog(path: String, offset: Int64, lastGoodSequence: UInt64) -> Self {
        Self(.corruptLog(path: path, offset: offset, lastGoodSequence: lastGoodSequence))
    }

    /// A persistence file exists but cannot be used (wrong type, unreadable, fails its checksum).
    public static func corruptFile(path: String, reason: String) -> Self { Self(.corruptFile(path: path, reason: reason)) }

    /// A persistence file was written by a newer format version than this library reads.
    public static func unsupportedFormat(path: String, version: Int) -> Self {
        Self(.unsupportedFormat(path: path, version: version))
    }

    /// A server backend (`backend`, e.g. `"pgvector"`) could not be reached at `endpoint`, or
    /// refused the connection (wrong password, unknown database, TLS failure).
    public static func connectionFailed(backend: String, endpoint: String, reason: String) -> Self {
        Self(.connectionFailed(backend: backend, endpoint: endpoint, reason: reason))
    }

    /// `backend` cannot do `feature` exactly (a filter operator, a value, a size); nothing was
    /// changed. The store never answers such a request approximately instead.
    public static func unsupportedByBackend(backend: String, feature: String, reason: String) -> Self {
        Self(.unsupportedByBackend(backend: backend, feature: feature, reason: reason))
    }

    /// A server backend reported a failure while carrying out `operation`.
    public static func backendFailure(backend: String, operation: String, reason: String) -> Self {
        Self(.backendFailure(backend: backend, operation: operation, reason: reason))
    }
}
