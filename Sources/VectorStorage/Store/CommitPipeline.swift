import Foundation
import VectorIndex
import Logging

/// Where the commit pipeline makes operations durable (the write-ahead log).
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

/// The single writer of a collection: a dedicated thread that takes the operations the store
/// submitted (each with its sequence number), appends them to the log as one group, flushes the
/// group once (group commit: concurrent writers share one `fsync`), applies the operations to the
/// in-memory state in sequence order, and only then acknowledges them. So an operation is visible
/// to searches no earlier than it is durable, and a reader never sees one that a crash could undo.
///
/// A blocking thread (not a task) because `fsync` blocks: on the cooperative pool it would stall
/// every task of the process.
final class CommitPipeline: @unchecked Sendable {
    typealias Completion = @Sendable (Result<Void, VectorStoreError>) -> Void

    private enum Work {
        case write(lsn: UInt64, operation: WriteOperation, completion: Completion)
        case control(() -> Void)
    }

    private let condition = ConditionLock()
    private var queue: [Work] = []
    private var stopping = false
    private var finished = false
    /// The sequence number the next accepted operation must carry.
    private var expectedLSN: UInt64
    /// Incremented by each failure, so the store knows to resynchronise its numbering.
    private var failureCount: UInt64 = 0
    /// Set once a flush failed: every later write is refused.
    private var poison: VectorStoreError?
    /// When records were first written without a flush (batched durability).
    private var unsyncedSince: ContinuousClock.Instant?
    /// Counters for ``statistics``.
    private var counters = PipelineStatistics()

    private let state: CollectionState
    private let log: (any WriteLog)?
    private let durability: DurabilityPolicy
    private let logger: Logger
    /// Called on the pipeline thread after each applied group (the checkpoint trigger).
    private let afterGroup: (@Sendable () -> Void)?

    init(
        state: CollectionState, log: (any WriteLog)?, durability: DurabilityPolicy, nextLSN: UInt64,
        logger: Logger, afterGroup: (@Sendable () -> Void)? = nil
    ) {
        self.state = state
        self.log = log
        self.durability = durability
        self.expectedLSN = nextLSN
        self.logger = logger
        self.afterGroup = afterGroup
        let thread = Thread { [self] in run() }
        thread.name = "VectorStorage.commit"
        thread.start()
    }

    // MARK: - Called by the store

    /// Queues an operation with its sequence number; `completion` runs once it is durable and
    /// applied, or failed.
    func submit(lsn: UInt64, operation: WriteOperation, completion: @escaping Completion) {
        condition.withLock {
            if stopping {
                completion(.failure(.writesDisabled(reason: "the collection is closing")))
                return
            }
            queue.append(.write(lsn: lsn, operation: operation, completion: completion))
            condition.broadcast()
        }
    }

    /// Runs `body` on the pipeline thread after every operation queued before it has been handled.
    func perform(_ body: @escaping () -> Void) {
        let runNow = condition.withLock {
            if finished { return true }
            queue.append(.control(body))
            condition.broadcast()
            return false
        }
        if runNow { body() }
    }

    /// Runs `body` on the pipeline thread (in queue order) and blocks the calling thread until it
    /// returns. For the persistence threads, never for a task on the cooperative pool.
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

    /// Runs `body` on the pipeline thread (in queue order) and returns its result.
    func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            perform { continuation.resume(returning: body()) }
        }
    }

    /// How many groups, operations and flushes the pipeline has committed.
    var statistics: PipelineStatistics { condition.withLock { counters } }

    /// The failure count, the sequence number expected next, and the poison (if any).
    var status: (failures: UInt64, expectedLSN: UInt64, poison: VectorStoreError?) {
        condition.withLock { (failureCount, expectedLSN, poison ?? log?.flushFailure) }
    }

    /// Finishes every queued operation, flushes the log, and stops the thread.
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

    // MARK: - The pipeline thread

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping && !syncDue() {
                if let since = unsyncedSince, case .batched(let interval) = durability {
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

            var group: [(lsn: UInt64, operation: WriteOperation, completion: Completion)] = []
            for item in work {
                switch item {
                case .write(let lsn, let operation, let completion):
                    group.append((lsn, operation, completion))
                case .control(let body):
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
        guard let since = unsyncedSince, case .batched(let interval) = durability else { return false }
        return ContinuousClock.now - since >= interval
    }

    private func syncNow() {
        guard let log else { return }
        do {
            try log.sync()
            unsyncedSince = nil
            condition.withLock { counters.syncs += 1 }
        } catch {
            fail(poisoning: error.error)
        }
    }

    private func fail(poisoning error: VectorStoreError) {
        logger.error("Flushing the write-ahead log failed; refusing further writes: \(error)")
        condition.withLock {
            if poison == nil { poison = error }
            failureCount += 1
        }
        unsyncedSince = nil
    }

    private func commit(_ group: [(lsn: UInt64, operation: WriteOperation, completion: Completion)]) {
        guard !group.isEmpty else { return }
        // Accept operations that carry the expected number; refuse the others (they were
        // numbered before the store learned of an earlier failure).
        var accepted: [(lsn: UInt64, operation: WriteOperation, completion: Completion)] = []
        condition.withLock {
            // A flush of the log that failed outside this pipeline's own appends (a checkpoint's
            // roll or marker) poisons it too: a later successful flush proves nothing about the
            // pages the failed one may have dropped (fsyncgate).
            if poison == nil, let failure = log?.flushFailure {
                logger.error("Flushing the write-ahead log failed; refusing further writes: \(failure)")
                poison = failure
                failureCount += 1
            }
            for item in group {
                if let poison {
                    // Count the refusal as a failure: the store then drops its overlay of pending
                    // writes. Under poison every pending write fails, so none of them may linger
                    // there (a lingering refused delete or clear would make later writes see ids as
                    // gone: deletes acknowledged without effect, updates failing "not found").
                    failureCount += 1
                    item.completion(.failure(.writesDisabled(reason: "an earlier flush failed (\(poison))")))
                } else if item.lsn != expectedLSN {
                    item.completion(.failure(.writesDisabled(
                        reason: "an earlier write in the same group failed; this one was not applied")))
                } else {
                    accepted.append(item)
                    expectedLSN += 1
                }
            }
        }
        guard let first = accepted.first else { return }

        if let log {
            do {
                try log.append(accepted.map { ($0.lsn, $0.operation) })
            } catch {
                switch error {
                case .definite(let e):
                    condition.withLock {
                        expectedLSN = first.lsn
                        failureCount += 1
                    }
                    logger.warning("Appending to the write-ahead log failed; nothing was applied: \(e)")
                case .indeterminate(let e):
                    fail(poisoning: e)
                }
                for item in accepted { item.completion(.failure(error.error)) }
                return
            }
            switch durability {
            case .always:
                do {
                    try log.sync()
                    condition.withLock { counters.syncs += 1 }
                } catch {
                    fail(poisoning: error.error)
                    for item in accepted {
                        item.completion(.failure(.persistenceFailure(
                            path: "write-ahead log", operation: "flush", errno: nil,
                            reason: "\(error.error); whether this write is on disk is unknown")))
                    }
                    return
                }
            case .batched:
                if unsyncedSince == nil { unsyncedSince = .now }
            case .never:
                break
            }
        }

        state.lock.withExclusive {
            for item in accepted { state.apply(item.operation, lsn: item.lsn) }
        }
        condition.withLock {
            counters.groups += 1
            counters.operations += accepted.count
        }
        for item in accepted { item.completion(.success(())) }
        state.repairIndexIfNeeded()
        afterGroup?()
    }
}

/// What the commit pipeline has done since the collection was opened.
struct PipelineStatistics: Sendable, Hashable {
    /// Groups committed (each one log append).
    var groups = 0
    /// Operations committed.
    var operations = 0
    /// Log flushes (`fsync`).
    var syncs = 0
}
