import CVectorKernels
import Dispatch

extension HNSWIndex {
    /// Rows prepared (copied in) per step of a batch insert; searches may run between steps.
    static let insertBlockRows = 4096

    /// Adds vectors (row-major) and returns their slots, in order. Slots freed by a repair are
    /// reused first.
    ///
    /// - Parameter threads: how many threads link nodes in parallel (1 = the calling thread only;
    ///   with more, the graph depends on thread timing and is no longer seed-deterministic).
    /// - Complexity: about O(rows × efConstruction × log n) distance computations.
    /// - Precondition: `vectors.count` is a multiple of `dimension`; every component is finite.
    public func add(_ vectors: UnsafeBufferPointer<Float>, threads: Int = 1) -> [Int] {
        precondition(vectors.count % dimension == 0,
                     "vector buffer of \(vectors.count) floats is not a multiple of dimension \(dimension)")
        let rows = vectors.count / dimension
        guard rows > 0, let base = vectors.baseAddress else { return [] }
        let slots = addLocked(base, rows: rows, threads: threads)
        if threads > 1 { reconnect() }
        return slots
    }

    private func addLocked(_ base: UnsafePointer<Float>, rows: Int, threads: Int) -> [Int] {
        writersLock.lockShared()
        defer { writersLock.unlock() }
        var slots: [Int] = []
        slots.reserveCapacity(rows)
        var start = 0
        while start < rows {
            let end = min(rows, start + Self.insertBlockRows)
            let claimed = prepareSlots(base + start * dimension, rows: end - start)
            linkPrepared(claimed, threads: threads)
            slots.append(contentsOf: claimed.map(\.slot))
            start = end
        }
        return slots
    }

    /// Claims slots and levels for `rows` vectors and copies them in (state `pending`).
    /// Holds `rowsLock` exclusive: it may grow storage and overwrite freed rows.
    private func prepareSlots(_ vectors: UnsafePointer<Float>, rows: Int) -> [(slot: Int, level: Int)] {
        var inverseNorms = [Float](repeating: 0, count: rows)
        for r in 0 ..< rows { inverseNorms[r] = kernels.inverseNorm(vectors + r * dimension, count: dimension) }
        return rowsLock.withExclusive {
            allocator.withLock {
                var claimed: [(slot: Int, level: Int)] = []
                claimed.reserveCapacity(rows)
                var upper = slotUpperBound
                for _ in 0 ..< rows {
                    let slot: Int
                    if let reused = freeSlots.popLast() {
                        slot = reused
                    } else {
                        slot = upper
                        upper += 1
                    }
                    claimed.append((slot, levelGenerator.next()))
                }
                storage.grow(toCapacity: upper)
                let view = storage.view
                for (r, (slot, level)) in claimed.enumerated() {
                    view.writeVector(slot, from: vectors + r * dimension, inverseNorm: inverseNorms[r])
                    initializeNode(slot, level: level, view: view)
                }
                vk_store_i64_release(upperBoundCell, Int64(upper))
                return claimed
            }
        }
    }

    /// Resets a slot's graph fields for a node on `level` (caller holds `rowsLock` exclusive).
    func initializeNode(_ slot: Int, level: Int, view: SlotStorageView) {
        let upperWords = parameters.m + 1
        if let old = view.upperLinks(slot).pointee {
            upperBlockWords -= Int(view.level(slot).pointee) * upperWords
            old.deallocate()
            view.upperLinks(slot).pointee = nil
        }
        if level > 0 {
            let block = UnsafeMutablePointer<UInt32>.allocate(capacity: level * upperWords)
            block.initialize(repeating: 0, count: level * upperWords)
            view.upperLinks(slot).pointee = block
            upperBlockWords += level * upperWords
        }
        view.level(slot).pointee = UInt8(level)
        view.links(slot).pointee = 0
        view.parent(slot).pointee = HNSWGraphView.noParent
        view.lock(slot).pointee = 0
        vk_store_u8_release(view.state(slot), SlotState.pending)
    }

    /// Links prepared nodes into the graph, on `threads` threads, and makes them live.
    private func linkPrepared(_ claimed: [(slot: Int, level: Int)], threads: Int) {
        var first = 0
        if loadEntry() == nil, let head = claimed.first {
            linkOne(head.slot, level: head.level)
            first = 1
        }
        let workers = max(1, min(threads, claimed.count - first))
        if workers == 1 {
            for i in first ..< claimed.count { linkOne(claimed[i].slot, level: claimed[i].level) }
            return
        }
        let next = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        next.initialize(to: Int64(first))
        defer { next.deallocate() }
        let counter = UnsafeSendablePointer(pointer: next)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = Int(vk_fetch_add_i64(counter.pointer, 1))
                if i >= claimed.count { break }
                linkOne(claimed[i].slot, level: claimed[i].level)
            }
        }
    }

    /// Links one prepared node and makes it live (takes `rowsLock` shared for the walk).
    private func linkOne(_ slot: Int, level: Int) {
        rowsLock.withShared {
            let slotCount = storage.capacity
            contexts.with(slotCount: slotCount) { context in
                linkNode(slot, level: level, context: context, slotCount: slotCount)
            }
            vk_store_u8_release(storage.view.state(slot), SlotState.live)
        }
        allocator.withLock { liveCount += 1 }
    }

    /// Checks, after a parallel batch, that every node is reachable from the entry point, and
    /// links in any that is not. The protected parent links already guarantee it; this pass is a
    /// cheap safety net against an unforeseen interleaving of concurrent list edits.
    ///
    /// - Complexity: O(n × m) for the reachability pass.
    func reconnect() {
        writersLock.withExclusive {
            rowsLock.withShared {
                restoreReachability(graph: graph, upperBound: slotUpperBound)
            }
        }
    }

    /// Replaces the vector in a live `slot` and re-links the node (same slot, same level; no
    /// duplicate node). Searches see the old or the new vector, never a mix.
    ///
    /// - Precondition: `slot` is live; `vector.count == dimension`; every component is finite.
    public func replace(slot: Int, with vector: UnsafeBufferPointer<Float>) {
        precondition(vector.count == dimension, "vector has \(vector.count) components, expected \(dimension)")
        let inverse = kernels.inverseNorm(vector.baseAddress!, count: dimension)
        writersLock.lockShared()
        defer { writersLock.unlock() }
        rowsLock.withExclusive {
            precondition(isLiveLocked(slot), "replace(slot: \(slot)): the slot is not live")
            storage.view.writeVector(slot, from: vector.baseAddress!, inverseNorm: inverse)
        }
        rowsLock.withShared {
            let slotCount = storage.capacity
            let level = Int(storage.view.level(slot).pointee)
            contexts.with(slotCount: slotCount) { context in
                linkNode(slot, level: level, context: context, slotCount: slotCount)
            }
        }
    }

    /// Removes the vector in `slot` (no effect when the slot is not live). The node becomes a
    /// tombstone that still routes walks but never appears in a result; once tombstones exceed
    /// ``HNSWParameters/repairThreshold`` of the graph, this call repairs the graph and frees
    /// their slots for reuse.
    public func remove(slot: Int) {
        let needsRepair: Bool = {
            writersLock.lockShared()
            defer { writersLock.unlock() }
            return rowsLock.withShared {
                allocator.withLock {
                    guard slot >= 0, slot < slotUpperBound,
                          vk_load_u8_acquire(storage.view.state(slot)) == SlotState.live else { return false }
                    vk_store_u8_release(storage.view.state(slot), SlotState.tombstone)
                    liveCount -= 1
                    tombstoneCount += 1
                    return Double(tombstoneCount) > parameters.repairThreshold * Double(liveCount + tombstoneCount)
                }
            }
        }()
        if needsRepair { repair() }
    }

    /// Removes every vector; slots start again from 0.
    public func removeAll() {
        writersLock.withExclusive {
            rowsLock.withExclusive {
                allocator.withLock {
                    storage.deallocateAll()
                    freeSlots = []
                    liveCount = 0
                    tombstoneCount = 0
                    upperBlockWords = 0
                    vk_store_i64_release(upperBoundCell, 0)
                    storeEntry(nil)
                }
            }
        }
        contexts.drain()
    }
}

/// A raw pointer handed to worker threads that synchronise through atomics on it.
struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
}
