import Foundation
import Testing
@testable import VectorStorage

@Suite struct StoreBasicsTests {
    @Test func insertSearchGetRoundTrip() async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 3))
        try await store.insert([[1, 2, 3], [4, 5, 6], [-1, 0, 0]], ids: ["doc1", "doc2", 3],
                               payloads: [["title": "First"], ["title": "Second"], [:]])
        let results = try await store.search([1, 2, 3], limit: 2)
        #expect(results.map(\.id) == ["doc1", "doc2"])
        #expect(abs(results[0].score! - 1) < 1e-6)
        #expect(results[0].payload == ["title": "First"])
        #expect(results[0].vector == nil)
        let one = try await store.get("doc1")
        #expect(one?.vector == [1, 2, 3])
        #expect(try await store.get(3)?.id == .int(3))
        #expect(try await store.get("3") == nil)
    }

    @Test func persistsAndReloads() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 3)
        do {
            let store = try await StoreFixtures.open(config)
            try await store.insert([[1, 2, 3], [4, 5, 6]], ids: ["a", 2], payloads: [["n": 1], ["n": 2.5]])
            try await store.update("a", payload: ["n": 10])
            try await store.delete(2)
            try await store.insert([[0, 0, 1]], ids: ["c"], payloads: [["tags": ["x", "y"]]])
            try await store.disconnect()
        }
        #expect(Set(dir.entries("store")).isSuperset(of: ["payloads.json", "ann_metadata.json", "ann_index.faiss"]))
        let reopened = try await StoreFixtures.open(config)
        #expect(reopened.persistenceHealth().lastOpen?.hasPrefix("vectors from ann_vectors.bin, HNSW graph loaded from ann_index.faiss, 0 log records replayed") == true)
        #expect(try reopened.count() == 2)
        #expect(try await reopened.get("a")?.payload == ["n": 10])
        #expect(try await reopened.get("c")?.payload == ["tags": ["x", "y"]])
        #expect(try await reopened.get(2) == nil)
        try await reopened.disconnect()
    }

    @Test func recoversFromLogWithoutDisconnect() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 3)
        do {
            let store = try await StoreFixtures.open(config)
            try await store.insert([[1, 2, 3]], ids: ["a"], payloads: [["k": "v"]])
            // Simulate a crash: the store is dropped without disconnect (its lock is released
            // when the persistence object goes away with it).
            await store.simulateCrashForTesting()
        }
        let reopened = try await StoreFixtures.open(config)
        #expect(reopened.persistenceHealth().lastOpen?.hasPrefix("no stored vectors, 1 log records replayed") == true)
        #expect(try await reopened.get("a")?.payload == ["k": "v"])
        try await reopened.disconnect()
    }
}
