import Foundation
import Logging
import VectorIndex

/// The one writer of a collection: a dedicated thread that takes the store's write requests in
/// order and, for each group of requests queued together, decides every one against the
/// collection as the earlier ones leave it (exists or not, capacity, the value an update merges
/// into), numbers the resulting operations, appends them to the log as one group, flushes once
/// (group commit: concurrent writers share one `fsync`), applies them to the in-memory state and
/// only then resumes the callers. An operation is visible to searches no earlier than it is
/// durable, so a reader never sees one that a crash could undo. Checkpoints start here too: the
/// copy of the state, the log roll and the checkpoint's marker record are work items this thread
/// runs (see `CollectionWriter+Checkpoint.swift`).
///
/// A blocking thread (not a task) because `fsync` blocks: on the cooperative pool it would stall
/// every task of the process. Modelled on GRDB's `SerializedDatabase`: one serial writer runs
/// every read-check-write.
final class CollectionWriter: @unchecked Sendable {
    typealias Completion = @Sendable (Result<Void, VectorStoreError>) -> Void

    private enum Work {
        case write(WriteRequest, Completion)
        case task(() -> Void)
    }

    private let condition = ConditionLock()
    // Guarded by `condition`:
    private var queue: [Work] = []
    private var stopping = false
    private var finished = false
    /// Set once a flush failed: every later write is refused.
    private var poison: VectorStoreError?
    private var counters = WriterStatistics()

    // Owned by the writer thread:
    /// The sequence number the next logged operation gets.
    private var nextLSN: UInt64
    /// When records were first written without a flush (batched durability).
    private var unsyncedSince: ContinuousClock.Instant?

    let state: CollectionState
    /// The directory, its log and checkpoint files; `nil` when persistence is off.
    let persistence: CollectionPersistence?
    let config: VectorStoreConfig
    let logger: Logger
    let health: LockedValue<PersistenceHealth>
    /// Checkpoint bookkeeping, shared by the writer thread and checkpoint threads.
    let checkpoints = CheckpointProgress()
    var maxVectors: Int { config.maxVectors }
    private var log: (any WriteLog)? { persistence?.wal }

    init(
        state: CollectionState, persistence: CollectionPersistence?, nextLSN: UInt64, baseLSN: UInt64,
        config: VectorStoreConfig, logger: Logger, health: LockedValue<PersistenceHealth>
    ) {
        self.state = state
        self.persistence = persistence
        self.nextLSN = nextLSN
        self.config = config
        self.logger = logger
        self.health = health
        checkpoints.start(lastLSN: baseLSN)
        let thread = Thread { [self] in run() }
        thread.name = "VectorStorage.writer"
        thread.start()
    }

    // MARK: - Called by the store

    /// Queues a request; `completion` runs once it is durable and applied, or refused, or failed.
    func submit(_ request: WriteRequest, completion: @escaping Completion) {
        condition.withLock {
            if stopping {
                completion(.failure(.writesDisabled(reason: "the collection is closing")))
                return
            }
            queue.append(.write(request, completion))
            condition.broadcast()
        }
    }

    /// Queues a request and waits until it is durable and applied.
    func submit(_ request: WriteRequest) async throws {
        let result: Result<Void, VectorStoreError> = await withCheckedContinuation { continuation in
            submit(request) { continuation.resume(returning: $0) }
        }
        try result.get()
    }

    /// Runs `body` on the writer thread after every request queued before it has been handled.
    func perform(_ body: @escaping () -> Void) {
        let runNow = condition.withLock {
            if finished { return true }
            queue.append(.task(body))
            condition.broadcast()
            return false
        }
        if runNow { body() }
    }

    /// Runs `body` on the writer thread (in queue order) and blocks the calling thread until it
    /// returns. For checkpoint threads, never for a task on the cooperative pool.
    func performAndWait<T>(_ body: @escaping () -> T) -> T {
        let done = ConditionLock()
        var result: T?
        perform {
            let value = body()
            done.withLock {
                result = value
                done.broadcast()
            }
        }
        return done.withLock {
            while result == nil { done.wait() }
            return result!
        }
    }

    /// Runs `body` on the writer thread (in queue order) and returns its result.
    func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            perform { continuation.resume(returning: body()) }
        }
    }

    /// Flushes every acknowledged write to the device.
    func flush() async throws {
        let result: Result<Void, LogFailure> = await perform { [self] in
            do throws(LogFailure) { try log?.sync() } catch { return .failure(error) }
            return .success(())
        }
        try result.mapError { $0.error }.get()
    }

    /// How many groups, operations and flushes the writer has committed.
    var statistics: WriterStatistics { condition.withLock { counters } }

    /// The failed flush that disabled writes, if any (this writer's or one of the log's, such as
    /// a checkpoint's roll or marker).
    var flushFailure: VectorStoreError? { condition.withLock { poison } ?? log?.flushFailure }

    /// Finishes every queued request, flushes the log, and stops the thread.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            perform { [self] in
                if unsyncedSince != nil { syncNow() }
                condition.withLock {
                    stopping = true
                    condition.broadcast()
                }
                continuation.resume()
            }
        }
    }

    // MARK: - The writer thread

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping && !syncDue() {
                if let since = unsyncedSince, case .batched(let interval) = config.durability {
                    let remaining = interval - (ContinuousClock.now - since)
                    condition.wait(seconds: max(Double(remaining.milliseconds) / 1000, 0.001))
                } else {
                    condition.wait()
                }
            }
            if queue.isEmpty && stopping {
                finished = true
                condition.unlock()
                return
            }
            let work = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()

            var group: [(request: WriteRequest, completion: Completion)] = []
            for item in work {
                switch item {
                case .write(let request, let completion):
                    group.append((request, completion))
                case .task(let body):
                    commit(group)
                    group.removeAll()
                    body()
                }
            }
            commit(group)
            if syncDue() { syncNow() }
        }
    }

    /// Whether batched durability owes a flush now. Reads thread-local state only.
    private func syncDue() -> Bool {
        guard let since = unsyncedSince, case .batched(let interval) = config.durability else { return false }
        return ContinuousClock.now - since >= interval
    }

    private func syncNow() {
        guard let log else { return }
        do {
            try log.sync()
            unsyncedSince = nil
            condition.withLock { counters.syncs += 1 }
        } catch {
            disableWrites(error.error)
        }
    }

    private func disableWrites(_ error: VectorStoreError) {
        logger.error("Flushing the write-ahead log failed; refusing further writes: \(error)")
        condition.withLock { if poison == nil { poison = error } }
        unsyncedSince = nil
    }

    /// Decides, logs, flushes, applies and acknowledges one group of requests. A failure of the
    /// log fails this group only (and, when the disk's contents are then unknown, every later write).
    private func commit(_ group: [(request: WriteRequest, completion: Completion)]) {
        guard !group.isEmpty else { return }
        // A flush of the log that failed outside this writer's own appends (a checkpoint's roll or
        // marker) disables writes too: a later successful flush proves nothing about the pages the
        // failed one may have dropped (fsyncgate).
        if let failure = flushFailure {
            condition.withLock { if poison == nil { poison = failure } }
            for item in group {
                item.completion(.failure(.writesDisabled(reason: "an earlier flush failed (\(failure))")))
            }
            return
        }

        var overlay = GroupOverlay(count: state.count)
        var decided: [(resolution: Resolution, lsn: UInt64?, completion: Completion)] = []
        var records: [WALRecord] = []
        for item in group {
            let resolution = resolve(item.request, overlay: &overlay)
            var lsn: UInt64?
            if let operation = resolution.operation {
                lsn = nextLSN
                records.append((nextLSN, operation))
                nextLSN += 1
            }
            decided.append((resolution, lsn, item.completion))
        }
        /// Every request of the group fails with `error`, except those decided on the applied
        /// state alone without an operation (a refusal, or nothing to do): their answer stands.
        func failGroup(_ error: VectorStoreError) {
            for item in decided {
                if item.lsn == nil && !item.resolution.readTheGroup {
                    item.completion(item.resolution.failure.map { .failure($0) } ?? .success(()))
                } else {
                    item.completion(.failure(error))
                }
            }
        }

        if let log, !records.isEmpty {
            do {
                try log.append(records)
            } catch {
                switch error {
                case .definite(let e):
                    nextLSN = records[0].lsn
                    logger.warning("Appending to the write-ahead log failed; nothing was applied: \(e)")
                case .indeterminate(let e):
                    disableWrites(e)
                }
                failGroup(error.error)
                return
            }
            switch config.durability {
            case .always:
                do {
                    try log.sync()
                    condition.withLock { counters.syncs += 1 }
                } catch {
                    disableWrites(error.error)
                    failGroup(.persistenceFailure(
                        path: "write-ahead log", operation: "flush", errno: nil,
                        reason: "\(error.error); whether this write is on disk is unknown"))
                    return
                }
            case .batched:
                if unsyncedSince == nil { unsyncedSince = .now }
            case .never:
                break
            }
        }

        if !records.isEmpty {
            state.lock.withExclusive {
                for record in records { state.apply(record.operation, lsn: record.lsn) }
            }
        }
        for item in decided {
            item.completion(item.resolution.failure.map { .failure($0) } ?? .success(()))
        }
        guard !records.isEmpty else { return }
        condition.withLock {
            counters.groups += 1
            counters.operations += records.count
        }
        state.repairIndexIfNeeded()
        checkpointIfDue()
    }
}

/// What the writer has done since the collection was opened.
struct WriterStatistics: Sendable, Hashable {
    /// Groups committed (each one log append).
    var groups = 0
    /// Operations committed.
    var operations = 0
    /// Log flushes (`fsync`).
    var syncs = 0
}
