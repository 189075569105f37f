extension VectorStoreError {
    /// The kind of a ``VectorStoreError``.
    ///
    /// New codes may be added in any release, so a `switch` over codes needs a `default`.
    /// A code matches an error in a `catch` clause or a `case` pattern:
    ///
    /// ```swift
    /// catch VectorStoreError.Code.directoryLocked { ... }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case notConnected, dimensionMismatch, invalidVector, invalidID, duplicateID
            case batchLengthMismatch, invalidPayload, capacityExceeded, vectorNotFound
            case invalidConfiguration, invalidArgument, invalidFilter, collectionMismatch
            case directoryLocked, persistenceFailure, diskFull, writesDisabled, corruptLog
            case corruptFile, unsupportedFormat, connectionFailed, unsupportedByBackend, backendFailure
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The code's name, e.g. `"vectorNotFound"`.
        public var description: String { value.rawValue }

        /// The store is not connected.
        public static let notConnected = Code(.notConnected)
        /// A vector has the wrong number of components.
        public static let dimensionMismatch = Code(.dimensionMismatch)
        /// A vector component is NaN or infinite, or a vector the backend cannot store.
        public static let invalidVector = Code(.invalidVector)
        /// An id is empty, too long, or contains a NUL character.
        public static let invalidID = Code(.invalidID)
        /// The same id appears twice in one batch.
        public static let duplicateID = Code(.duplicateID)
        /// The arrays of one batch have different lengths.
        public static let batchLengthMismatch = Code(.batchLengthMismatch)
        /// A payload is invalid.
        public static let invalidPayload = Code(.invalidPayload)
        /// The operation would take the collection past `maxVectors`.
        public static let capacityExceeded = Code(.capacityExceeded)
        /// No vector has the id.
        public static let vectorNotFound = Code(.vectorNotFound)
        /// A configuration field has an invalid value.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// An argument of a call is out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// A filter cannot be decoded or evaluated.
        public static let invalidFilter = Code(.invalidFilter)
        /// The persistence directory or server collection belongs to another collection.
        public static let collectionMismatch = Code(.collectionMismatch)
        /// Another store holds the persistence directory.
        public static let directoryLocked = Code(.directoryLocked)
        /// A file-system operation failed.
        public static let persistenceFailure = Code(.persistenceFailure)
        /// The disk is full.
        public static let diskFull = Code(.diskFull)
        /// Writes are refused after a failed flush.
        public static let writesDisabled = Code(.writesDisabled)
        /// The write-ahead log is damaged in the middle.
        public static let corruptLog = Code(.corruptLog)
        /// A persistence file exists but cannot be used.
        public static let corruptFile = Code(.corruptFile)
        /// A file was written by a newer format version.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// A server backend could not be reached or refused the connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// A backend cannot do what was asked exactly (an operator, a value, a size).
        public static let unsupportedByBackend = Code(.unsupportedByBackend)
        /// A server backend reported a failure while carrying out an operation.
        public static let backendFailure = Code(.backendFailure)

        /// Whether `error` is a ``VectorStoreError`` with this code (for `catch` and `case` patterns).
        public static func ~= (pattern: Code, error: any Error) -> Bool {
            (error as? VectorStoreError)?.code == pattern
        }
    }
}
