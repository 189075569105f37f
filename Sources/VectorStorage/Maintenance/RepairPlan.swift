import VectorIndex

/// What ``InMemoryVectorStore/repair()`` would do to a directory, worked out without doing it:
/// the recovery runs, salvaging, on a point-in-time copy of the files (see
/// ``ReadOnlyCollection``), and the plan lists what the real repair would move aside or cut.
/// Nothing in the directory is changed and its lock is not taken.
///
/// ```swift
/// let plan = try await RepairPlan.make(path: "./data/vector-storage")
/// for action in plan.actions { print(action) }
/// ```
public struct RepairPlan: Sendable, Hashable {
    /// The directory examined.
    public var path: String
    /// Whether another store held the directory's lock (a repair needs it: it would be refused).
    public var directoryInUse: Bool
    /// Whether a plain ``InMemoryVectorStore/connect()`` opens the directory as it is (it may
    /// still set damaged files aside itself; ``actions`` lists them either way).
    public var opensWithoutRepair: Bool
    /// What the repair would do, in order: files moved aside, log tails cut. A repair then
    /// writes a checkpoint of what it recovered.
    public var actions: [String]
    /// What the recovery reported (damage found, what it costs).
    public var warnings: [String]
    /// Vectors the collection would hold after the repair.
    public var vectorsAfter: Int
    /// The sequence number of the last operation kept.
    public var sequenceAfter: UInt64
    /// Why a plain open fails, when it does.
    public var openError: String?

    /// Works out the plan for the directory at `path`.
    ///
    /// - Throws: when the directory cannot be read, holds no collection, or cannot be recovered
    ///   even by a repair (the error the repair would throw).
    public static func make(path: String) async throws -> RepairPlan {
        try await runBlocking { try makeBlocking(path: path) }
    }

    static func makeBlocking(path: String) throws -> RepairPlan {
        let snapshot = try DirectorySnapshot.take(of: path)
        defer { snapshot.remove() }
        let (config, _) = try ReadOnlyCollection.recordedConfiguration(snapshot)
        let logger = ReadOnlyCollection.silentLogger
        var openError: String?
        do {
            let probe = try InMemoryVectorStore(config: config, logger: logger)
            let loader = CollectionLoader(directory: snapshot.copy, config: config, logger: logger, salvage: false)
            let probed = try loader.load()
            probe.state.lock.withExclusive { probe.state.restore(probed) }
        } catch {
            openError = "\(error)"
        }
        let store = try InMemoryVectorStore(config: config, logger: logger)
        let loader = CollectionLoader(directory: snapshot.copy, config: config, logger: logger, salvage: true)
        let outcome = try loader.load()
        store.state.lock.withExclusive { store.state.restore(outcome) }
        return RepairPlan(
            path: path, directoryInUse: snapshot.inUse, opensWithoutRepair: openError == nil,
            actions: ReadOnlyCollection.repairs(outcome), warnings: outcome.warnings,
            vectorsAfter: store.state.count, sequenceAfter: store.state.appliedLSN, openError: openError)
    }
}
