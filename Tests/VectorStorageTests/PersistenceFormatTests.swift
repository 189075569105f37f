import Foundation
import InMemoryLogging
import Logging
import Testing
@testable import VectorStorage

/// The seed's on-disk contract: names, shapes, reload, directory handling, the seed's own files.
@Suite struct PersistenceFormatTests {
    private func json(_ data: Data?) throws -> Any {
        try JSONSerialization.jsonObject(with: try #require(data), options: [.fragmentsAllowed])
    }

    @Test func writesTheThreeFilesWithTheSeedsNamesAndShapes() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 3)
        let store = try await StoreFixtures.open(config)
        try await store.insert([[0.5, -0.0, Float.leastNormalMagnitude / 4], [1, 2, 3]], ids: ["doc1", 77],
                               payloads: [["title": "First", "n": 1], [:]])
        try await store.disconnect()

        let names = dir.entries("store")
        #expect(names.contains("payloads.json") && names.contains("ann_metadata.json") && names.contains("ann_index.faiss"))

        // payloads.json: [[id, payload], ...]; string ids as strings, integer ids as numbers.
        let payloads = try #require(try json(dir.read("store/payloads.json")) as? [[Any]])
        #expect(payloads.count == 2)
        #expect(payloads[0][0] as? String == "doc1")
        #expect((payloads[0][1] as? [String: Any])?["title"] as? String == "First")
        #expect(payloads[1][0] is NSNumber && (payloads[1][0] as? Int) == 77)
        #expect((payloads[1][1] as? [String: Any])?.isEmpty == true)

        // ann_metadata.json: the seed's keys plus ours.
        let meta = try #require(try json(dir.read("store/ann_metadata.json")) as? [String: Any])
        #expect(meta["dimension"] as? Int == 3)
        #expect(meta["algorithm"] as? String == "hnsw")
        #expect(meta["vectorCount"] as? Int == 2)
        #expect(meta["faissAvailable"] as? Bool == true)
        #expect(meta["collectionName"] as? String == "test")
        #expect(meta["metric"] as? String == "cosine")
        #expect(meta["formatVersion"] as? Int == 1)
        let vectors = try #require(meta["vectors"] as? [[Any]])
        #expect(vectors.count == 2)
        #expect(vectors[0][0] as? String == "doc1")
        #expect((vectors[0][1] as? [NSNumber])?.map(\.floatValue) == [0.5, -0.0, Float.leastNormalMagnitude / 4])
        #expect(vectors[1][0] as? Int == 77)

        // ann_index.faiss: a FAISS IndexIDMap2 ("IxM2"), not a placeholder.
        let faiss = try #require(dir.read("store/ann_index.faiss"))
        #expect(faiss.prefix(4) == Data("IxM2".utf8))
    }

    @Test func floatsRoundTripBitExactlyThroughTheJSONFiles() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 4)
        var rng = SystemRandomNumberGenerator()
        var vectors: [[Float]] = [[-0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude]]
        for _ in 0..<200 {
            vectors.append((0..<4).map { _ in
                var f: Float
                repeat { f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) } while !f.isFinite
                return f
            })
        }
        let ids: [VectorID] = (0..<vectors.count).map { .int(Int64($0)) }
        let store = try await StoreFixtures.open(config)
        try await store.insert(vectors, ids: ids)
        try await store.disconnect()
        // Force the JSON path: remove the binary vectors file.
        try FileManager.default.removeItem(atPath: dir.file("store/ann_vectors.bin"))
        let reopened = try await StoreFixtures.open(config)
        for (i, v) in vectors.enumerated() {
            #expect(try await reopened.get(ids[i])?.vector?.map(\.bitPattern) == v.map(\.bitPattern))
        }
        try await reopened.disconnect()
    }

    @Test func createsMissingDirectoriesAndUsesCustomPaths() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 2, subdirectory: "a/b/c/my-vectors")
        #expect(!FileManager.default.fileExists(atPath: dir.file("a")))
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 2]], ids: ["x"])
        try await store.disconnect()
        #expect(dir.entries("a/b/c/my-vectors").contains("payloads.json"))
        // A missing directory means an empty collection.
        let other = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 2, subdirectory: "never/seen"))
        #expect(try other.count() == 0)
        try await other.disconnect()
    }

    @Test func disabledPersistenceTouchesNoFile() async throws {
        let dir = TemporaryDirectory()
        var config = StoreFixtures.config(dir, dimension: 2)
        config.annPersistIndex = false
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 2]], ids: ["x"])
        try await store.update("x", payload: ["p": 1])
        try await store.delete("x")
        try await store.insert([[1, 2]], ids: ["y"])
        try await store.deleteCollection()
        try await store.disconnect()
        #expect(dir.entries().isEmpty)
    }

    @Test func reloadsAfterReconnectOfTheSameStore() async throws {
        let dir = TemporaryDirectory()
        let store = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 2))
        try await store.insert([[1, 2], [3, 4]], ids: ["x", "y"], payloads: [["k": "v"], [:]])
        try await store.disconnect()
        #expect(!store.isConnected())
        try await store.connect()
        #expect(try store.count() == 2)
        #expect(try await store.get("x")?.payload == ["k": "v"])
        try await store.disconnect()
    }

    @Test func opensTheSeedsOwnFiles() async throws {
        let dir = TemporaryDirectory()
        _ = try Fixtures.copy("seed-format", into: dir)
        let store = try await StoreFixtures.open(StoreFixtures.config(dir, name: "seeded", dimension: 3))
        #expect(try store.count() == 4)
        let doc1 = try #require(try await store.get("doc1"))
        #expect(doc1.vector == [0.1, 0.2, 0.3])
        #expect(doc1.payload["meta"] == ["author": "Ada", "score": 0.5])
        #expect(doc1.payload["tags"] == ["a", "b"])
        #expect(try await store.get(42)?.vector?.map(\.bitPattern) == [Float(0), -0.0, .leastNonzeroMagnitude].map(\.bitPattern))
        #expect(try await store.get("café")?.vector == [.greatestFiniteMagnitude, -.leastNormalMagnitude, Float("0.333333343267")!])
        #expect(try await store.get("doc2")?.vector == [-0.5, 1.25e-3, 2])
        #expect(try await store.get(42)?.payload["created_at"] == 150)
        #expect(try await store.get("café")?.payload["created_at"] == 100.0)
        // It searches correctly, filters included.
        #expect(try await store.search([0.1, 0.2, 0.3], limit: 1).first?.id == "doc1")
        let docs = try await store.search([0.1, 0.2, 0.3], limit: 10, filter: ["category": "docs", "created_at": .range(gte: 100, lt: 150)])
        #expect(Set(docs.map(\.id)) == ["doc1", "café"])  // café's created_at is written 1e2
        // Its next checkpoint writes our format (with a genuine FAISS file) and names the collection.
        try await store.disconnect()
        let meta = try #require(try json(dir.read("store/ann_metadata.json")) as? [String: Any])
        #expect(meta["collectionName"] as? String == "seeded")
        #expect(meta["faissAvailable"] as? Bool == true)
        #expect(dir.read("store/ann_index.faiss")?.prefix(4) == Data("IxM2".utf8))
        let again = try await StoreFixtures.open(StoreFixtures.config(dir, name: "seeded", dimension: 3))
        #expect(try again.count() == 4)
        try await again.disconnect()
    }

    @Test func aDirectoryOfAnotherCollectionIsAnErrorAndNothingIsWritten() async throws {
        let dir = TemporaryDirectory()
        let first = try await StoreFixtures.open(StoreFixtures.config(dir, name: "alpha", dimension: 2))
        try await first.insert([[1, 2]], ids: ["x"])
        try await first.disconnect()
        let before = try snapshotOfDirectory(dir.file("store"))
        let second = try InMemoryVectorStore(config: StoreFixtures.config(dir, name: "beta", dimension: 2))
        await #expect(throws: VectorStoreError.collectionMismatch(expected: "beta", found: "alpha", path: dir.file("store"))) {
            try await second.connect()
        }
        #expect(try snapshotOfDirectory(dir.file("store")) == before)
        #expect(!second.isConnected())
    }

    @Test func aDirectoryWithAnotherDimensionIsAnError() async throws {
        let dir = TemporaryDirectory()
        let first = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 2))
        try await first.insert([[1, 2]], ids: ["x"])
        try await first.disconnect()
        let second = try InMemoryVectorStore(config: StoreFixtures.config(dir, dimension: 3))
        await #expect {
            try await second.connect()
        } throws: { error in
            guard case .invalidConfiguration("dimension", "3", let reason) = (error as? VectorStoreError)?.detail else { return false }
            return reason.contains("dimension 2")
        }
    }

    /// Every regular file's bytes, by name (LOCK excluded: it records who held it).
    private func snapshotOfDirectory(_ path: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where name != "LOCK" {
            result[name] = FileManager.default.contents(atPath: path + "/" + name)
        }
        return result
    }
}
