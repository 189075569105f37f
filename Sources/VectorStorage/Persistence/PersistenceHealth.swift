import Foundation

/// What the store knows about its persistence, for `healthCheck()` and `getInfo()`.
public struct PersistenceHealth: Sendable, Hashable {
    /// The last persistence error (a failed checkpoint, a failed flush), if any.
    public var lastError: String?
    /// When the last error happened.
    public var lastErrorDate: Date?
    /// Whether writes are refused after a failed flush.
    public var writesDisabled: Bool = false
    /// Whether the last checkpoint attempt failed (cleared by the next successful one).
    public var checkpointFailing: Bool = false
    /// When the last checkpoint was written.
    public var lastCheckpointDate: Date?
    /// How long the last checkpoint took, from the copy of the state to the last file flushed.
    public var lastCheckpointSeconds: Double?
    /// How long writes waited during the last checkpoint (the in-memory copy and the new log
    /// segment); searches never wait.
    public var lastCheckpointPauseSeconds: Double?
    /// Files found damaged and moved aside at the last open.
    public var quarantinedFiles: [String] = []
    /// Warnings from the last open (torn log tail cut, duplicated ids, ...).
    public var recoveryWarnings: [String] = []
    /// How the last open rebuilt the collection (which files, graph loaded or rebuilt, records replayed).
    public var lastOpen: String?
}
