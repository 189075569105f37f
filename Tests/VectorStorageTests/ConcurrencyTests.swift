import Foundation
import Testing
@testable import VectorStorage

/// Many tasks at once: inserts, searches, gets, deletes. Also run under `--sanitize=thread`.
@Suite struct ConcurrencyTests {
    @Test func concurrentInsertsSearchesAndDeletes() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 16, maxVectors: 100_000)
        let store = try await StoreFixtures.open(config)
        let writers = 8, perWriter = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    let vectors = StoreFixtures.vectors(count: perWriter, dimension: 16, seed: UInt64(w + 1))
                    for i in 0..<perWriter {
                        let id = VectorID.string("w\(w)-\(i)")
                        try await store.insert([vectors[i]], ids: [id], payloads: [["w": .int(Int64(w)), "i": .int(Int64(i))]])
                        // Read your own write.
                        let got = try await store.get(id)
                        #expect(got?.vector == vectors[i])
                        if i % 4 == 3 { try await store.delete(.string("w\(w)-\(i - 1)")) }
                    }
                }
            }
            for r in 0..<4 {
                group.addTask {
                    for q in StoreFixtures.vectors(count: 60, dimension: 16, seed: UInt64(100 + r)) {
                        let hits = try await store.search(q, limit: 5, filter: r % 2 == 0 ? nil : ["w": .range(gte: 2)])
                        #expect(hits.count <= 5)
                        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score! >= $1.score! })
                        if r % 2 == 1 { #expect(hits.allSatisfy { ($0.payload["w"]?.intValue ?? -1) >= 2 }) }
                        _ = try await store.list(filter: ["i": 0], limit: 3)
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = writers * perWriter - writers * (perWriter / 4)
        #expect(try store.count() == expected)
        for w in 0..<writers {
            #expect(try await store.get(.string("w\(w)-2")) == nil)
            #expect(try await store.get(.string("w\(w)-3")) != nil)
        }
        try await store.disconnect()
        let reopened = try await StoreFixtures.open(config)
        #expect(try reopened.count() == expected)
        try await reopened.disconnect()
    }

    @Test func concurrentWritersShareFlushes() async throws {
        let dir = TemporaryDirectory()
        let store = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 4, maxVectors: 100_000))
        let writers = 200
        let vectors = StoreFixtures.vectors(count: writers, dimension: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<writers {
                group.addTask { try await store.insert([vectors[i]], ids: [.int(Int64(i))]) }
            }
            try await group.waitForAll()
        }
        let stats = try store.statistics()
        #expect(stats.vectorCount == writers)
        #expect(stats.committedOperations == writers)
        // Under `durability: .always` every group is flushed once; 200 writers in flight at once
        // share flushes, so there are fewer flushes than writes.
        #expect(stats.logFlushes == stats.commitGroups)
        #expect(stats.logFlushes < writers)
        try await store.disconnect()
    }
}
