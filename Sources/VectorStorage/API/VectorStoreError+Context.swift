extension VectorStoreError {
    /// The file or directory at fault (persistence errors, ``Code/directoryLocked``,
    /// ``Code/collectionMismatch``), or `nil`.
    public var path: String? {
        switch detail {
        case .collectionMismatch(_, _, let path), .directoryLocked(let path), .persistenceFailure(let path, _, _, _),
            .diskFull(let path), .corruptLog(let path, _, _), .corruptFile(let path, _), .unsupportedFormat(let path, _):
            return path
        default:
            return nil
        }
    }

    /// The id at fault (``Code/vectorNotFound``, ``Code/duplicateID``, ``Code/invalidPayload``), or `nil`.
    public var id: VectorID? {
        switch detail {
        case .vectorNotFound(let id), .duplicateID(let id, _, _), .invalidPayload(let id, _, _): return id
        default: return nil
        }
    }

    /// The name of the configuration field, argument, payload path, filter operator or backend
    /// feature at fault, or `nil`.
    public var field: String? {
        switch detail {
        case .invalidConfiguration(let field, _, _): return field
        case .invalidArgument(let name, _, _): return name
        case .invalidPayload(_, let path, _): return path
        case .unsupportedByBackend(_, let feature, _): return feature
        default: return nil
        }
    }

    /// The offending value as text (a configuration value, an argument, an invalid id), or `nil`.
    public var value: String? {
        switch detail {
        case .invalidConfiguration(_, let value, _), .invalidArgument(_, let value, _): return value
        case .invalidID(let id, _): return id
        case .invalidVector(_, _, let value): return String(value)
        default: return nil
        }
    }

    /// Why the value was refused, when the error says more than its code, or `nil`.
    public var reason: String? {
        switch detail {
        case .invalidID(_, let reason), .invalidPayload(_, _, let reason), .invalidConfiguration(_, _, let reason),
            .invalidArgument(_, _, let reason), .invalidFilter(let reason), .persistenceFailure(_, _, _, let reason),
            .writesDisabled(let reason), .corruptFile(_, let reason), .connectionFailed(_, _, let reason),
            .unsupportedByBackend(_, _, let reason), .backendFailure(_, _, let reason):
            return reason
        default:
            return nil
        }
    }

    /// The expected value: the collection's dimension (``Code/dimensionMismatch``), or `nil`.
    public var expected: Int? {
        if case .dimensionMismatch(let expected, _, _) = detail { return expected }
        return nil
    }

    /// The value found: a vector's number of components (``Code/dimensionMismatch``), or `nil`.
    public var actual: Int? {
        if case .dimensionMismatch(_, let actual, _) = detail { return actual }
        return nil
    }

    /// The position in the batch of the vector at fault (``Code/dimensionMismatch``,
    /// ``Code/invalidVector``), or `nil`.
    public var index: Int? {
        switch detail {
        case .dimensionMismatch(_, _, let index), .invalidVector(let index, _, _): return index
        default: return nil
        }
    }

    /// The system error number of a failed file-system call, or `nil`.
    public var errno: Int32? {
        if case .persistenceFailure(_, _, let errno, _) = detail { return errno }
        return nil
    }

    /// The server backend involved (``Code/connectionFailed``, ``Code/unsupportedByBackend``,
    /// ``Code/backendFailure``), or `nil`.
    public var backend: String? {
        switch detail {
        case .connectionFailed(let backend, _, _), .unsupportedByBackend(let backend, _, _),
            .backendFailure(let backend, _, _):
            return backend
        default:
            return nil
        }
    }
}

extension VectorStoreError {
    /// The operation that failed (``Code/persistenceFailure``: `"write"`, `"flush"`, ...;
    /// ``Code/backendFailure``: `"insert"`, `"search"`, ...), or `nil`.
    public var operation: String? {
        switch detail {
        case .persistenceFailure(_, let operation, _, _), .backendFailure(_, let operation, _): return operation
        default: return nil
        }
    }

    /// Where a damaged log stops being readable (``Code/corruptLog``): the byte offset in
    /// ``path`` and the sequence number of the last good record, or `nil`.
    public var logDamage: (offset: Int64, lastGoodSequence: UInt64)? {
        if case .corruptLog(_, let offset, let lastGood) = detail { return (offset, lastGood) }
        return nil
    }
}
