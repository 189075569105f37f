import Foundation
import Logging

/// Owns one collection's store: connects it, disconnects it, and reports its health.
///
/// ```swift
/// let manager = try VectorStoreManager(config: VectorStoreConfig(collectionName: "docs", dimension: 384))
/// try await manager.connect()
/// let store = try manager.getStore()
/// print(await manager.healthCheck().status)   // healthy
/// try await manager.disconnect()
/// ```
public actor VectorStoreManager {
    /// The configuration the store was created from.
    public nonisolated let config: VectorStoreConfig
    /// The concrete store (also available as `any VectorStore` through ``getStore()``), for the
    /// operations beyond the protocol: `repair()`, `checkpoint()`, `flush()`, `delete(_:)` of many ids.
    public nonisolated let inMemoryStore: InMemoryVectorStore
    private var connectionAttempts = 0
    private var lastError: String?
    private let logger: Logger

    /// Creates a manager (and its store) for `config`; nothing is opened until ``connect()``.
    ///
    /// - Parameter logger: where the store and the manager log; default: a logger labelled
    ///   `VectorStorage.<collectionName>`.
    /// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)``.
    public init(config: VectorStoreConfig, logger: Logger? = nil) throws {
        try config.validate()
        self.config = config
        inMemoryStore = try InMemoryVectorStore(config: config, logger: logger)
        self.logger = logger ?? Logger(label: "VectorStorage.\(config.collectionName)")
    }

    /// Opens the store (loading it from disk when persistence is on). There is no silent fallback:
    /// if the store cannot open, the error is thrown and recorded for ``getInfo()``.
    public func connect() async throws {
        connectionAttempts += 1
        do {
            try await inMemoryStore.connect()
            lastError = nil
        } catch {
            lastError = "\(error)"
            logger.error("Connecting \(config.collectionName) failed: \(error)")
            throw error
        }
    }

    /// Writes a checkpoint and closes the store.
    public func disconnect() async throws {
        do {
            try await inMemoryStore.disconnect()
        } catch {
            lastError = "\(error)"
            throw error
        }
    }

    /// The store, once connected.
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)`` before ``connect()``.
    public nonisolated func getStore() throws -> any VectorStore {
        guard inMemoryStore.isConnected() else { throw VectorStoreError.notConnected(collection: config.collectionName) }
        return inMemoryStore
    }

    /// Whether the store is open.
    public nonisolated func isConnected() -> Bool { inMemoryStore.isConnected() }

    /// Checks the store: `.unhealthy` when it is not connected or refuses writes after a failed
    /// flush, `.degraded` when the last checkpoint failed or damaged files were set aside at open,
    /// `.healthy` otherwise. The message and details say why.
    public func healthCheck() async -> HealthCheckResult {
        guard inMemoryStore.isConnected() else {
            return HealthCheckResult(
                status: .unhealthy, message: "not connected" + (lastError.map { ": \($0)" } ?? ""), details: [:])
        }
        let health = inMemoryStore.persistenceHealth()
        var details: [String: String] = ["vectorCount": String((try? inMemoryStore.count()) ?? 0)]
        if let error = health.lastError { details["lastPersistenceError"] = error }
        if !health.quarantinedFiles.isEmpty { details["quarantinedFiles"] = health.quarantinedFiles.joined(separator: ", ") }
        if health.writesDisabled {
            return HealthCheckResult(
                status: .unhealthy,
                message: "writes are disabled after a failed flush: \(health.lastError ?? "unknown error")",
                details: details)
        }
        if health.checkpointFailing {
            return HealthCheckResult(
                status: .degraded,
                message: "the last checkpoint failed (every write is still safe in the log): \(health.lastError ?? "")",
                details: details)
        }
        if !health.quarantinedFiles.isEmpty {
            return HealthCheckResult(
                status: .degraded, message: "damaged files were moved aside at open: \(details["quarantinedFiles"]!)",
                details: details)
        }
        return HealthCheckResult(status: .healthy, message: "ok", details: details)
    }

    /// What the manager knows about its store.
    public func getInfo() async -> VectorStoreInfo {
        let health = inMemoryStore.persistenceHealth()
        return VectorStoreInfo(
            backendType: inMemoryStore.backendType, collectionName: config.collectionName,
            dimension: config.dimension, connected: inMemoryStore.isConnected(), fallbackUsed: false,
            connectionAttempts: connectionAttempts, lastError: lastError,
            lastPersistenceError: health.lastError, vectorCount: try? inMemoryStore.count(),
            persistencePath: config.annPersistIndex ? config.annIndexPath : nil,
            algorithm: config.annAlgorithm.rawValue, distance: config.distance.rawValue,
            writesDisabled: health.writesDisabled, lastCheckpoint: health.lastCheckpointDate,
            quarantinedFiles: health.quarantinedFiles, recoveryWarnings: health.recoveryWarnings)
    }
}

/// The outcome of ``VectorStoreManager/healthCheck()``.
public struct HealthCheckResult: Sendable, Hashable {
    /// How well the store works.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Open, reads and writes work, the last checkpoint succeeded.
        case healthy
        /// Open and working, but a checkpoint failed or damaged files were set aside.
        case degraded
        /// Not connected, or writes are refused after a failed flush.
        case unhealthy
    }

    /// The verdict.
    public var status: Status
    /// A sentence saying why.
    public var message: String
    /// Supporting facts: `vectorCount`, `lastPersistenceError`, `quarantinedFiles`.
    public var details: [String: String]
}

/// What ``VectorStoreManager/getInfo()`` reports.
public struct VectorStoreInfo: Sendable, Hashable, Codable {
    /// `"in-memory"`.
    public var backendType: String
    /// The collection's name.
    public var collectionName: String
    /// Components per vector.
    public var dimension: Int
    /// Whether the store is open.
    public var connected: Bool
    /// Always `false`: the manager never falls back to another backend silently.
    public var fallbackUsed: Bool
    /// How many times `connect()` was called.
    public var connectionAttempts: Int
    /// The last error of `connect()` or `disconnect()`.
    public var lastError: String?
    /// The last persistence error (a failed checkpoint or flush).
    public var lastPersistenceError: String?
    /// Live vectors (`nil` when not connected).
    public var vectorCount: Int?
    /// The persistence directory (`nil` when persistence is off).
    public var persistencePath: String?
    /// `hnsw`, `flat` or `brute-force`.
    public var algorithm: String
    /// `cosine`, `dot` or `euclidean`.
    public var distance: String
    /// Whether writes are refused after a failed flush.
    public var writesDisabled: Bool
    /// When the last checkpoint was written.
    public var lastCheckpoint: Date?
    /// Damaged files moved aside at the last open.
    public var quarantinedFiles: [String]
    /// What the last open repaired or skipped.
    public var recoveryWarnings: [String]
}
