import VectorIndex

/// A consistent copy of a collection at one sequence number, taken on the collection's writer thread
/// (so no write can interleave) and then written to disk by the checkpoint thread while the
/// collection goes on serving reads and writes. Rows are in insertion order.
struct CollectionSnapshot: @unchecked Sendable {
    /// The sequence number of the last operation the snapshot includes.
    var lsn: UInt64
    var dimension: Int
    var metric: Metric
    var algorithm: ANNAlgorithm
    var ids: [VectorID]
    var payloads: [Payload]
    /// `ids.count × dimension` floats, row-major, as inserted.
    var vectors: FloatBuffer
    /// The HNSW graph over the rows (node `i` is row `i`), for HNSW collections.
    var graph: HNSWGraphLayout?
    /// When the checkpoint began, and how long writes waited for the copy (set by the checkpoint).
    var startedAt: ContinuousClock.Instant?
    var pause: Duration?

    var count: Int { ids.count }
}

extension HNSWGraphLayout {
    /// The same graph with its nodes renumbered: new node `i` is old node `newToOld[i]`.
    func permuted(newToOld: [Int32]) -> HNSWGraphLayout {
        var oldToNew = [Int32](repeating: -1, count: newToOld.count)
        for (new, old) in newToOld.enumerated() { oldToNew[Int(old)] = Int32(new) }
        var newLevels = [Int32](repeating: 0, count: levels.count)
        var newOffsets = [UInt64](repeating: 0, count: levels.count + 1)
        var newNeighbors = [Int32](repeating: -1, count: neighbors.count)
        var cursor: UInt64 = 0
        for (new, old) in newToOld.enumerated() {
            let o = Int(old)
            newLevels[new] = levels[o]
            newOffsets[new] = cursor
            let start = Int(offsets[o]), end = Int(offsets[o + 1])
            for (k, i) in (start..<end).enumerated() {
                let n = neighbors[i]
                newNeighbors[Int(cursor) + k] = n < 0 ? -1 : oldToNew[Int(n)]
            }
            cursor += UInt64(end - start)
        }
        newOffsets[levels.count] = cursor
        var copy = self
        copy.levels = newLevels
        copy.offsets = newOffsets
        copy.neighbors = newNeighbors
        copy.entryPoint = entryPoint < 0 ? -1 : oldToNew[Int(entryPoint)]
        return copy
    }
}
