/// Where the collection's writer makes operations durable: the write-ahead log
/// (``WALWriter``). A protocol so that the writer can run without one when persistence is off.
protocol WriteLog: AnyObject {
    /// Appends one record per operation at the end of the log. On a `.definite` failure the log is
    /// back at its previous end (nothing of these records remains); on `.indeterminate` it may not be.
    func append(_ records: [(lsn: UInt64, operation: WriteOperation)]) throws(LogFailure)
    /// Flushes every appended record to the device.
    func sync() throws(LogFailure)
    /// The first flush of the log that failed, whoever asked for it (an append's flush, or a
    /// checkpoint rolling the log or flushing its marker); `nil` while every flush succeeded.
    var flushFailure: VectorStoreError? { get }
}

/// A failure of the log, classified by what the caller may assume about the disk.
enum LogFailure: Error {
    /// Nothing was written: the operation definitely did not happen.
    case definite(VectorStoreError)
    /// The disk may or may not hold the records: the store must stop writing.
    case indeterminate(VectorStoreError)

    var error: VectorStoreError {
        switch self {
        case .definite(let e), .indeterminate(let e): return e
        }
    }
}
