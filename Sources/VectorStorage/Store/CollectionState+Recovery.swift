extension CollectionState {
    /// Rebuilds the collection from what recovery read: the checkpoint's rows (with the stored
    /// HNSW graph when it could be trusted, else the graph is rebuilt), then every log record after
    /// them replayed in order. Caller holds the write lock (or owns the state exclusively).
    func restore(_ recovery: CollectionLoader.Outcome) {
        reset()
        if let rows = recovery.rows {
            let (index, slots) = rows.vectors.withUnsafeBufferPointer { buffer in
                factory.makeIndex(vectors: buffer, graph: rows.graph, threads: buildThreads)
            }
            install(index: index, ids: rows.ids, payloads: rows.payloads, slots: slots)
        }
        setAppliedLSN(recovery.baseLSN)
        for (i, record) in recovery.replay.enumerated() {
            if i == recovery.replay.count / 2 { KillPoints.reach("recovery.mid") }
            apply(record.operation, lsn: record.lsn)
        }
        repairIndexIfNeeded()
        // Numbering goes on after everything known to exist, even when less than that was replayed.
        setAppliedLSN(recovery.highestLSN)
    }
}
