#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-slot memory of an index, in fixed-size chunks that never move once allocated.
///
/// One chunk holds `rowsPerChunk` consecutive slots and, for each, several regions:
/// the vector (64-byte aligned rows, padded with zeros to a multiple of 16 floats), the inverse
/// norm (for cosine), the slot state, and for a graph index the level-0 link list, the level-0
/// in-degree, the level, a one-byte spin lock and a pointer to the upper-level link lists.
///
/// Growth appends chunks to the chunk table; the table itself may be reallocated, so the owner
/// must exclude readers (exclusive lock) while calling ``grow(toCapacity:)`` and readers must take
/// a ``view`` only while holding the shared lock. Chunks are never moved or freed before
/// ``deallocateAll()`` (deinit), so a row pointer stays valid as long as the storage lives.
final class SlotStorage: @unchecked Sendable {
    let dimension: Int
    /// Floats from one row to the next (dimension rounded up to 16).
    let rowStride: Int
    /// `UInt32` words per level-0 link list: one count word and `maxDegree0` neighbour words; 0 for
    /// an index without a graph.
    let linkWords: Int
    let hasGraph: Bool
    let chunkShift: Int
    let rowsPerChunk: Int

    let normsOffset: Int
    let linksOffset: Int
    let indegreeOffset: Int
    let upperOffset: Int
    let statesOffset: Int
    let levelsOffset: Int
    let locksOffset: Int
    let chunkBytes: Int

    private(set) var table: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private var tableCapacity: Int
    private(set) var chunkCount: Int = 0

    /// Slots that fit in the allocated chunks.
    var capacity: Int { chunkCount << chunkShift }

    /// Bytes held by the allocated chunks and the chunk table.
    var allocatedBytes: Int { chunkCount * chunkBytes + tableCapacity * MemoryLayout<UnsafeRawPointer>.stride }

    init(dimension: Int, maxDegree0: Int?) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        rowStride = (dimension + 15) & ~15
        hasGraph = maxDegree0 != nil
        linkWords = maxDegree0.map { $0 + 1 } ?? 0
        let perSlot = rowStride * 4 + 4 + linkWords * 4 + (hasGraph ? 15 : 1)
        var shift = 6
        while shift < 16 && (perSlot << (shift + 1)) <= 2 << 20 { shift += 1 }
        chunkShift = shift
        rowsPerChunk = 1 << shift

        func align(_ x: Int) -> Int { (x + 63) & ~63 }
        let rows = rowsPerChunk
        var offset = align(rows * rowStride * 4)
        normsOffset = offset
        offset = align(offset + rows * 4)
        linksOffset = offset
        offset = align(offset + rows * linkWords * 4)
        indegreeOffset = offset
        offset = align(offset + (hasGraph ? rows * 4 : 0))
        upperOffset = offset
        offset = align(offset + (hasGraph ? rows * 8 : 0))
        statesOffset = offset
        offset = align(offset + rows)
        levelsOffset = offset
        offset = align(offset + (hasGraph ? rows : 0))
        locksOffset = offset
        offset = align(offset + (hasGraph ? rows : 0))
        chunkBytes = offset

        tableCapacity = 8
        table = .allocate(capacity: tableCapacity)
    }

    deinit { deallocateAll() }

    /// Makes room for at least `capacity` slots. The caller excludes all readers.
    func grow(toCapacity wanted: Int) {
        while capacity < wanted {
            if chunkCount == tableCapacity {
                let bigger = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: tableCapacity * 2)
                bigger.moveInitialize(from: table, count: chunkCount)
                table.deallocate()
                table = bigger
                tableCapacity *= 2
            }
            var raw: UnsafeMutableRawPointer?
            let status = posix_memalign(&raw, 64, chunkBytes)
            guard status == 0, let chunk = raw else { fatalError("out of memory allocating \(chunkBytes) bytes") }
            // Vectors and link lists are written when a slot is handed out; the small per-slot
            // regions start zeroed (state free, level 0, unlocked, no upper links).
            memset(chunk + normsOffset, 0, linksOffset - normsOffset)
            memset(chunk + indegreeOffset, 0, chunkBytes - indegreeOffset)
            (table + chunkCount).initialize(to: chunk)
            chunkCount += 1
        }
    }

    /// Frees every chunk and every upper-level link block. The caller excludes all readers.
    func deallocateAll() {
        if hasGraph {
            let v = view
            for slot in 0 ..< capacity {
                if let block = v.upperLinks(slot).pointee {
                    block.deallocate()
                    v.upperLinks(slot).pointee = nil
                }
            }
        }
        for i in 0 ..< chunkCount { free(table[i]) }
        chunkCount = 0
        table.deallocate()
        tableCapacity = 8
        table = .allocate(capacity: tableCapacity)
    }

    /// A snapshot of the addressing data, for hot loops (no class property access, no ARC).
    /// Valid while the caller holds the owner's lock in shared or exclusive mode.
    var view: SlotStorageView {
        SlotStorageView(
            table: table, chunkShift: chunkShift, slotMask: rowsPerChunk - 1, rowStride: rowStride,
            dimension: dimension, linkWords: linkWords, normsOffset: normsOffset,
            linksOffset: linksOffset, indegreeOffset: indegreeOffset, upperOffset: upperOffset, statesOffset: statesOffset,
            levelsOffset: levelsOffset, locksOffset: locksOffset)
    }
}

/// Address arithmetic over a ``SlotStorage``'s chunks (a plain value, cheap to copy).
struct SlotStorageView {
    let table: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let chunkShift: Int
    let slotMask: Int
    let rowStride: Int
    let dimension: Int
    let linkWords: Int
    let normsOffset: Int
    let linksOffset: Int
    let indegreeOffset: Int
    let upperOffset: Int
    let statesOffset: Int
    let levelsOffset: Int
    let locksOffset: Int

    @inline(__always)
    func chunk(_ slot: Int) -> UnsafeMutableRawPointer { table[slot &>> chunkShift] }

    @inline(__always)
    func vector(_ slot: Int) -> UnsafeMutablePointer<Float> {
        (chunk(slot) + (slot & slotMask) &* rowStride &* 4).assumingMemoryBound(to: Float.self)
    }

    /// 1 / ‖vector‖ (0 for a zero vector).
    @inline(__always)
    func inverseNorm(_ slot: Int) -> UnsafeMutablePointer<Float> {
        (chunk(slot) + normsOffset + (slot & slotMask) &* 4).assumingMemoryBound(to: Float.self)
    }

    /// Level-0 link list: word 0 is the count, then up to `linkWords - 1` neighbour slots.
    @inline(__always)
    func links(_ slot: Int) -> UnsafeMutablePointer<UInt32> {
        (chunk(slot) + linksOffset + (slot & slotMask) &* linkWords &* 4).assumingMemoryBound(to: UInt32.self)
    }

    /// Number of level-0 links pointing at the node (maintained with relaxed atomics).
    @inline(__always)
    func indegree(_ slot: Int) -> UnsafeMutablePointer<UInt32> {
        (chunk(slot) + indegreeOffset + (slot & slotMask) &* 4).assumingMemoryBound(to: UInt32.self)
    }

    /// Pointer to the node's upper-level link block (nil for a level-0 node).
    @inline(__always)
    func upperLinks(_ slot: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?> {
        (chunk(slot) + upperOffset + (slot & slotMask) &* 8)
            .assumingMemoryBound(to: UnsafeMutablePointer<UInt32>?.self)
    }

    @inline(__always)
    func state(_ slot: Int) -> UnsafeMutablePointer<UInt8> {
        (chunk(slot) + statesOffset + (slot & slotMask)).assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always)
    func level(_ slot: Int) -> UnsafeMutablePointer<UInt8> {
        (chunk(slot) + levelsOffset + (slot & slotMask)).assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always)
    func lock(_ slot: Int) -> UnsafeMutablePointer<UInt8> {
        (chunk(slot) + locksOffset + (slot & slotMask)).assumingMemoryBound(to: UInt8.self)
    }

    /// Copies `source` into the slot's row, zero-fills the padding, and stores the inverse norm.
    func writeVector(_ slot: Int, from source: UnsafePointer<Float>, inverseNorm: Float) {
        let row = vector(slot)
        row.update(from: source, count: dimension)
        if rowStride > dimension {
            (row + dimension).update(repeating: 0, count: rowStride - dimension)
        }
        self.inverseNorm(slot).pointee = inverseNorm
    }
}
