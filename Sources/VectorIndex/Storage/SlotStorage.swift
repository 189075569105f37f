#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-slot memory of an index, in fixed-size chunks that never move once allocated.
///
/// One chunk holds `rowsPerChunk` consecutive slots in two blocks:
/// - the vector block: 64-byte aligned rows, padded with zeros to a multiple of 16 floats. When
///   the block size is a multiple of 2 MiB it is 2 MiB aligned and (on Linux, from the second
///   chunk on) advised for transparent huge pages: graph walks read rows at random, and huge
///   pages take most TLB misses out of that.
/// - the metadata block: the inverse norm (for cosine), the slot state, and for a graph index the
///   level-0 link list, the level-0 in-degree, the level, a one-byte spin lock and a pointer to
///   the upper-level link lists.
///
/// Growth appends chunks to the chunk tables; the tables themselves may be reallocated, so the
/// owner must exclude readers (exclusive lock) while calling ``grow(toCapacity:)`` and readers
/// must take a ``view`` only while holding the shared lock. Chunks are never moved or freed before
/// ``deallocateAll()`` (deinit), so a row pointer stays valid as long as the storage lives.
final class SlotStorage: @unchecked Sendable {
    static let hugePageBytes = 2 << 20

    let dimension: Int
    /// Floats from one row to the next (dimension rounded up to 16).
    let rowStride: Int
    /// `UInt32` words per level-0 link list: one count word and `maxDegree0` neighbour words; 0 for
    /// an index without a graph.
    let linkWords: Int
    let hasGraph: Bool
    let chunkShift: Int
    let rowsPerChunk: Int
    /// Whether vector blocks are whole huge pages.
    let hugePageVectors: Bool
    let vectorBlockBytes: Int

    let linksOffset: Int
    let parentOffset: Int
    let upperOffset: Int
    let statesOffset: Int
    let levelsOffset: Int
    let locksOffset: Int
    let metaBlockBytes: Int

    private(set) var vectorTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private(set) var metaTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private var tableCapacity: Int
    private(set) var chunkCount: Int = 0

    /// Slots that fit in the allocated chunks.
    var capacity: Int { chunkCount << chunkShift }

    /// Bytes held by the allocated chunks and the chunk tables.
    var allocatedBytes: Int {
        chunkCount * (vectorBlockBytes + metaBlockBytes) + 2 * tableCapacity * MemoryLayout<UnsafeRawPointer>.stride
    }

    init(dimension: Int, maxDegree0: Int?) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        rowStride = (dimension + 15) & ~15
        hasGraph = maxDegree0 != nil
        linkWords = maxDegree0.map { $0 + 1 } ?? 0
        let rowBytes = rowStride * 4
        (chunkShift, hugePageVectors) = Self.chunkShape(rowBytes: rowBytes)
        rowsPerChunk = 1 << chunkShift
        vectorBlockBytes = rowsPerChunk * rowBytes

        func align(_ x: Int) -> Int { (x + 63) & ~63 }
        let rows = rowsPerChunk
        var offset = align(rows * 4)
        linksOffset = offset
        offset = align(offset + rows * linkWords * 4)
        parentOffset = offset
        offset = align(offset + (hasGraph ? rows * 4 : 0))
        upperOffset = offset
        offset = align(offset + (hasGraph ? rows * 8 : 0))
        statesOffset = offset
        offset = align(offset + rows)
        levelsOffset = offset
        offset = align(offset + (hasGraph ? rows : 0))
        locksOffset = offset
        offset = align(offset + (hasGraph ? rows : 0))
        metaBlockBytes = offset

        tableCapacity = 8
        vectorTable = .allocate(capacity: tableCapacity)
        metaTable = .allocate(capacity: tableCapacity)
    }

    /// Rows per chunk (as a shift) and whether vector blocks fill whole huge pages: the smallest
    /// power of two whose vector block is a multiple of 2 MiB, or about 2 MiB of small pages when
    /// no power of two up to 65,536 rows fits well.
    static func chunkShape(rowBytes: Int) -> (shift: Int, huge: Bool) {
        for shift in 6 ... 16 {
            let bytes = rowBytes << shift
            if bytes >= hugePageBytes && bytes % hugePageBytes == 0 { return (shift, true) }
        }
        var shift = 6
        while shift < 16 && (rowBytes << (shift + 1)) <= hugePageBytes { shift += 1 }
        return (shift, false)
    }

    deinit {
        deallocateAll()
        vectorTable.deallocate()
        metaTable.deallocate()
    }

    /// Makes room for at least `capacity` slots. The caller excludes all readers.
    func grow(toCapacity wanted: Int) {
        while capacity < wanted {
            if chunkCount == tableCapacity {
                let newCapacity = tableCapacity * 2
                let vectors = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: newCapacity)
                let meta = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: newCapacity)
                vectors.moveInitialize(from: vectorTable, count: chunkCount)
                meta.moveInitialize(from: metaTable, count: chunkCount)
                vectorTable.deallocate()
                metaTable.deallocate()
                vectorTable = vectors
                metaTable = meta
                tableCapacity = newCapacity
            }
            let vectorBlock = Self.allocate(vectorBlockBytes, alignment: hugePageVectors ? Self.hugePageBytes : 64)
            #if os(Linux)
            if hugePageVectors && chunkCount > 0 {
                // Advice only: without transparent huge pages this is a no-op.
                _ = madvise(vectorBlock, vectorBlockBytes, 14 /* MADV_HUGEPAGE */)
            }
            #endif
            // Vectors and link lists are written when a slot is handed out; the small per-slot
            // regions start zeroed (state free, level 0, unlocked, no upper links).
            let metaBlock = Self.allocate(metaBlockBytes, alignment: 64)
            memset(metaBlock, 0, linksOffset)
            memset(metaBlock + parentOffset, 0, metaBlockBytes - parentOffset)
            (vectorTable + chunkCount).initialize(to: vectorBlock)
            (metaTable + chunkCount).initialize(to: metaBlock)
            chunkCount += 1
        }
    }

    private static func allocate(_ bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, alignment, bytes)
        guard status == 0, let block = raw else { fatalError("out of memory allocating \(bytes) bytes") }
        return block
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
        for i in 0 ..< chunkCount {
            free(vectorTable[i])
            free(metaTable[i])
        }
        chunkCount = 0
    }

    /// A snapshot of the addressing data, for hot loops (no class property access, no ARC).
    /// Valid while the caller holds the owner's lock in shared or exclusive mode.
    var view: SlotStorageView {
        SlotStorageView(
            vectorTable: vectorTable, metaTable: metaTable, chunkShift: chunkShift, slotMask: rowsPerChunk - 1,
            rowStride: rowStride, dimension: dimension, linkWords: linkWords, linksOffset: linksOffset,
            parentOffset: parentOffset, upperOffset: upperOffset, statesOffset: statesOffset,
            levelsOffset: levelsOffset, locksOffset: locksOffset)
    }
}

/// Address arithmetic over a ``SlotStorage``'s chunks (a plain value, cheap to copy).
struct SlotStorageView {
    let vectorTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let metaTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let chunkShift: Int
    let slotMask: Int
    let rowStride: Int
    let dimension: Int
    let linkWords: Int
    let linksOffset: Int
    let parentOffset: Int
    let upperOffset: Int
    let statesOffset: Int
    let levelsOffset: Int
    let locksOffset: Int

    @inline(__always)
    func chunk(_ slot: Int) -> UnsafeMutableRawPointer { metaTable[slot &>> chunkShift] }

    @inline(__always)
    func vector(_ slot: Int) -> UnsafeMutablePointer<Float> {
        (vectorTable[slot &>> chunkShift] + (slot & slotMask) &* rowStride &* 4).assumingMemoryBound(to: Float.self)
    }

    /// 1 / ‖vector‖ (0 for a zero vector).
    @inline(__always)
    func inverseNorm(_ slot: Int) -> UnsafeMutablePointer<Float> {
        (chunk(slot) + (slot & slotMask) &* 4).assumingMemoryBound(to: Float.self)
    }

    /// Level-0 link list: word 0 is the count, then up to `linkWords - 1` neighbour slots.
    @inline(__always)
    func links(_ slot: Int) -> UnsafeMutablePointer<UInt32> {
        (chunk(slot) + linksOffset + (slot & slotMask) &* linkWords &* 4).assumingMemoryBound(to: UInt32.self)
    }

    /// The node whose level-0 link to this node is protected (``HNSWGraphView/noParent`` for the
    /// entry point); read and written with atomics.
    @inline(__always)
    func parent(_ slot: Int) -> UnsafeMutablePointer<UInt32> {
        (chunk(slot) + parentOffset + (slot & slotMask) &* 4).assumingMemoryBound(to: UInt32.self)
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
