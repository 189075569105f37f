import Foundation
@testable import VectorStorage

/// Helpers that build stores and data for the storage tests.
enum StoreFixtures {
    /// A configuration for a collection in `directory` (persistence on unless told otherwise).
    static func config(
        _ directory: TemporaryDirectory?, name: String = "test", dimension: Int = 4, maxVectors: Int = 10_000,
        algorithm: ANNAlgorithm = .hnsw, distance: DistanceMetric = .cosine, subdirectory: String = "store"
    ) -> VectorStoreConfig {
        VectorStoreConfig(
            collectionName: name, dimension: dimension, maxVectors: maxVectors,
            annPersistIndex: directory != nil, annIndexPath: directory?.file(subdirectory) ?? "",
            annAlgorithm: algorithm, distance: distance)
    }

    /// A connected store.
    static func open(_ config: VectorStoreConfig) async throws -> InMemoryVectorStore {
        let store = try InMemoryVectorStore(config: config)
        try await store.connect()
        return store
    }

    /// Deterministic pseudo-random vectors (a linear congruential generator; no Foundation randomness).
    static func vectors(count: Int, dimension: Int, seed: UInt64 = 1) -> [[Float]] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        return (0..<count).map { _ in (0..<dimension).map { _ in next() } }
    }
}
