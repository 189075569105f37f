import Foundation
import Testing
import VectorIndex
@testable import VectorStorage

@Suite struct StoreSemanticsTests {
    @Test func insertOfAnExistingIDReplacesVectorAndPayload() async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 2))
        try await store.insert([[1, 0]], ids: ["a"], payloads: [["v": 1, "old": true]])
        try await store.insert([[0, 1]], ids: ["a"], payloads: [["v": 2]])
        #expect(try store.count() == 1)
        let a = try #require(try await store.get("a"))
        #expect(a.vector == [0, 1])
        #expect(a.payload == ["v": 2])
        // Without payloads, an upsert leaves an empty payload.
        try await store.insert([[1, 1]], ids: ["a"])
        #expect(try await store.get("a")?.payload == [:])
    }

    @Test func updateReplacesOnlyWhatIsGiven() async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 2))
        try await store.insert([[1, 0]], ids: ["a"], payloads: [["v": 1]])
        try await store.update("a", vector: [0, 1])
        #expect(try await store.get("a") == VectorStoreResult(id: "a", vector: [0, 1], payload: ["v": 1]))
        try await store.update("a", payload: ["v": 2])
        #expect(try await store.get("a") == VectorStoreResult(id: "a", vector: [0, 1], payload: ["v": 2]))
        try await store.update("a", vector: [2, 2], payload: ["v": 3])
        #expect(try await store.get("a") == VectorStoreResult(id: "a", vector: [2, 2], payload: ["v": 3]))
        // The search sees the new vector.
        #expect(try await store.search([1, 1], limit: 1).first?.id == "a")
    }

    @Test func getReturnsTheVectorBitForBit() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 6)
        let odd: [Float] = [-0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 0.1, 1 / 3]
        let store = try await StoreFixtures.open(config)
        try await store.insert([odd], ids: ["odd"])
        let bits = odd.map(\.bitPattern)
        #expect(try await store.get("odd")?.vector?.map(\.bitPattern) == bits)
        try await store.disconnect()
        let reopened = try await StoreFixtures.open(config)
        #expect(try await reopened.get("odd")?.vector?.map(\.bitPattern) == bits)
        try await reopened.disconnect()
        // Also through the seed-compatible JSON copy alone (binary vectors file removed).
        try FileManager.default.removeItem(atPath: dir.file("store/ann_vectors.bin"))
        let fromJSON = try await StoreFixtures.open(config)
        #expect(try await fromJSON.get("odd")?.vector?.map(\.bitPattern) == bits)
        try await fromJSON.disconnect()
    }

    @Test func resultsIncludeVectorsOnlyWhenAsked() async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 2))
        try await store.insert([[1, 0], [0, 1]], ids: ["x", "y"])
        #expect(try await store.search([1, 0], limit: 2).allSatisfy { $0.vector == nil })
        let with = try await store.search([1, 0], limit: 2, filter: nil, options: SearchOptions(includeVectors: true))
        #expect(with.map(\.vector) == [[1, 0], [0, 1]])
    }

    @Test(arguments: [DistanceMetric.cosine, .dotProduct, .euclidean])
    func scoresAreHigherIsBetterForEveryMetric(metric: DistanceMetric) async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 2, distance: metric))
        try await store.insert([[1, 0], [3, 4], [-1, 0]], ids: ["unit", "far", "opposite"])
        let hits = try await store.search([1, 0], limit: 3)
        let scores = Dictionary(uniqueKeysWithValues: hits.map { ($0.id, $0.score!) })
        switch metric {
        case .cosine:
            #expect(hits.map(\.id) == ["unit", "far", "opposite"])
            #expect(abs(scores["unit"]! - 1) < 1e-6 && abs(scores["far"]! - 0.6) < 1e-6 && abs(scores["opposite"]! + 1) < 1e-6)
        case .dotProduct:
            #expect(hits.map(\.id) == ["far", "unit", "opposite"])
            #expect(scores == ["far": 3, "unit": 1, "opposite": -1])
        case .euclidean:
            #expect(hits.map(\.id) == ["unit", "opposite", "far"])
            #expect(abs(scores["unit"]!) < 1e-6)
            #expect(abs(scores["opposite"]! + 2) < 1e-6)
            #expect(abs(scores["far"]! + Float(20).squareRoot()) < 1e-5)
        }
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score! >= $1.score! })
    }

    @Test func listReturnsAPageOldestFirstAndTheTotal() async throws {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 2))
        let ids: [VectorID] = (0..<10).map { .int(Int64($0)) }
        try await store.insert(StoreFixtures.vectors(count: 10, dimension: 2), ids: ids,
                               payloads: (0..<10).map { ["even": .bool($0 % 2 == 0)] })
        let (page, total) = try await store.list(filter: ["even": true], limit: 3)
        #expect(total == 5)
        #expect(page.map(\.id) == [0, 2, 4])
        #expect(page.allSatisfy { $0.vector == nil && $0.score == nil })
        let all = try await store.list()
        #expect(all.total == 10 && all.results.count == 10)
        let next = try store.list(filter: ["even": true], limit: 3, offset: 3)
        #expect(next.results.map(\.id) == [6, 8] && next.total == 5)
        #expect(try await store.list(filter: nil, limit: 0).results.isEmpty)
    }

    @Test func deleteCollectionEmptiesMemoryAndDisk() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 2)
        let store = try await StoreFixtures.open(config)
        try await store.insert(StoreFixtures.vectors(count: 20, dimension: 2), ids: (0..<20).map { .int(Int64($0)) })
        try await store.deleteCollection()
        #expect(try store.count() == 0)
        #expect(try await store.search([1, 0]).isEmpty)
        // On disk, right away (no disconnect): the checkpoint files describe an empty collection.
        let metaData = try #require(dir.read("store/ann_metadata.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: metaData) as? [String: Any])
        #expect(meta["vectorCount"] as? Int == 0)
        let payloadData = try #require(dir.read("store/payloads.json"))
        let payloads = try #require(try JSONSerialization.jsonObject(with: payloadData) as? [Any])
        #expect(payloads.isEmpty)
        // The collection stays usable, and a crash now still reopens empty plus what follows.
        try await store.insert([[1, 1]], ids: ["after"])
        await store.simulateCrashForTesting()
        let reopened = try await StoreFixtures.open(config)
        #expect(try reopened.count() == 1)
        #expect(try await reopened.get("after") != nil)
        try await reopened.disconnect()
    }

    @Test func deletionsAreRepairedOutOfTheGraph() async throws {
        let n = 2000
        let vectors = StoreFixtures.vectors(count: n, dimension: 16, seed: 21)
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 16))
        try await store.insert(vectors, ids: (0..<n).map { .int(Int64($0)) })
        // Delete 40 %, one at a time: the store repairs the graph each time tombstones pass 10 %.
        for i in stride(from: 0, to: n, by: 5) {
            try await store.delete(.int(Int64(i)))
            try await store.delete(.int(Int64(i + 1)))
        }
        let hnsw = try #require(store.state.lock.withShared { store.state.index } as? HNSWIndex)
        #expect(Double(hnsw.tombstones) <= 0.1 * Double(hnsw.count + hnsw.tombstones))
        #expect(hnsw.checkInvariants().isEmpty)
        // Reinsert them: freed slots are reused, results match an exact scan.
        try await store.insert((0..<n).filter { $0 % 5 < 2 }.map { vectors[$0] },
                               ids: (0..<n).filter { $0 % 5 < 2 }.map { .int(Int64($0)) })
        #expect(try store.count() == n)
        #expect(hnsw.slotUpperBound <= n + n / 10)
        var overlap = 0
        let queries = StoreFixtures.vectors(count: 50, dimension: 16, seed: 77)
        for q in queries {
            let approx = Set(try await store.search(q, limit: 10, filter: nil, options: SearchOptions(efSearch: 64)).map(\.id))
            let exact = Set(try await store.search(q, limit: 10, filter: nil, options: SearchOptions(exact: true)).map(\.id))
            overlap += approx.intersection(exact).count
        }
        #expect(Double(overlap) / Double(10 * queries.count) >= 0.95)
    }

    @Test func smallCollectionsSearchExactlyWhateverTheAlgorithm() async throws {
        let vectors = StoreFixtures.vectors(count: 500, dimension: 16, seed: 4)
        let ids: [VectorID] = (0..<500).map { .int(Int64($0)) }
        let hnsw = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 16, algorithm: .hnsw))
        let flat = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 16, algorithm: .flat))
        try await hnsw.insert(vectors, ids: ids)
        try await flat.insert(vectors, ids: ids)
        for query in StoreFixtures.vectors(count: 20, dimension: 16, seed: 99) {
            let a = try await hnsw.search(query, limit: 10)
            let b = try await flat.search(query, limit: 10)
            #expect(a == b)
        }
    }
}
