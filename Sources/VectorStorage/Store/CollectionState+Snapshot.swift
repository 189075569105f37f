import VectorIndex

extension CollectionState {
    /// A copy of the collection for a checkpoint. Called by the writer (so no write runs
    /// meanwhile); rows in insertion order.
    func snapshot(algorithm: ANNAlgorithm) -> CollectionSnapshot {
        let state = self
        let dimension = state.factory.dimension
        let rows: [Int]
        var graph: HNSWGraphLayout?
        if let hnsw = state.index as? any GraphExportingIndex, algorithm == .hnsw {
            let exported = hnsw.exportLayout()
            // Renumber the exported nodes into insertion order, so files list rows oldest first.
            let order = state.slotsInInsertionOrder()
            var nodeOfSlot: [Int: Int32] = [:]
            nodeOfSlot.reserveCapacity(exported.slots.count)
            for (node, slot) in exported.slots.enumerated() { nodeOfSlot[slot] = Int32(node) }
            let permutation = order.map { nodeOfSlot[$0]! }
            graph = exported.layout.permuted(newToOld: permutation)
            rows = order
        } else {
            rows = state.slotsInInsertionOrder()
        }
        let vectors = FloatBuffer(count: rows.count * dimension)
        if let out = vectors.pointer.baseAddress {
            for (row, slot) in rows.enumerated() {
                state.index.withVector(at: slot) { v in
                    (out + row * dimension).update(from: v.baseAddress!, count: dimension)
                }
            }
        }
        return CollectionSnapshot(
            lsn: state.appliedLSN, dimension: dimension, metric: state.factory.metric, algorithm: algorithm,
            ids: rows.map { state.ids[$0]! }, payloads: rows.map { state.payloads[$0] }, vectors: vectors,
            graph: graph)
    }
}
