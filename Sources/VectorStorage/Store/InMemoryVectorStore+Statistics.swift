extension InMemoryVectorStore {
    /// Counters describing the collection and its persistence since it was opened.
    public struct Statistics: Sendable, Hashable {
        /// Live vectors.
        public var vectorCount: Int
        /// Write operations committed since the collection was opened.
        public var committedOperations: Int
        /// Commit groups: concurrent writers are committed together, one log append each.
        public var commitGroups: Int
        /// Flushes of the log to the device (`fsync`); fewer than operations when writers share them.
        public var logFlushes: Int
    }

    /// The collection's counters.
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)``.
    public nonisolated func statistics() throws -> Statistics {
        let count = try readState { $0.count }
        let writer = openWriter.current?.statistics ?? WriterStatistics()
        return Statistics(
            vectorCount: count, committedOperations: writer.operations, commitGroups: writer.groups,
            logFlushes: writer.syncs)
    }
}
