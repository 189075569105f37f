import Foundation
import Testing
@testable import VectorStorage

/// Every filter kind through the store's search and list, checked against a brute-force oracle.
@Suite struct StoreFilterTests {
    static let payloads: [Payload] = [
        ["category": "docs", "created": 100, "tags": ["a", "b"], "meta": ["author": "Ada", "score": 0.9]],
        ["category": "docs", "created": 150.5, "tags": ["b"], "meta": ["author": "Bob"]],
        ["category": "notes", "created": 199, "tags": ["c"], "draft": true],
        ["category": "notes", "created": 200, "tags": []],
        ["category": "docs", "tags": ["a", "c"], "lang": "en"],
        ["created": 120, "lang": "fr", "tags": "a"],
    ]

    private func store() async throws -> InMemoryVectorStore {
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 4))
        try await store.insert(StoreFixtures.vectors(count: 6, dimension: 4), ids: (0..<6).map { .int(Int64($0)) },
                               payloads: Self.payloads)
        return store
    }

    private func matches(_ filter: SearchFilter, in store: InMemoryVectorStore) async throws -> Set<Int64> {
        let hits = try await store.search([0.1, 0.2, 0.3, 0.4], limit: 10, filter: filter)
        let listed = try await store.list(filter: filter, limit: 10)
        let searched = Set(hits.map { id -> Int64 in if case .int(let i) = id.id { return i } else { return -1 } })
        let listedIDs = Set(listed.results.map { id -> Int64 in if case .int(let i) = id.id { return i } else { return -1 } })
        #expect(searched == listedIDs)
        #expect(listed.total == listedIDs.count)
        return searched
    }

    @Test func seedFilterKinds() async throws {
        let store = try await store()
        #expect(try await matches(["category": "docs"], in: store) == [0, 1, 4])
        #expect(try await matches(["created": .range(gte: 100, lt: 200)], in: store) == [0, 1, 2, 5])
        #expect(try await matches(["created": .range(gt: 150.5)], in: store) == [2, 3])
        #expect(try await matches(["created": .range(lte: 150.5)], in: store) == [0, 1, 5])
        #expect(try await matches(["tags": .any(["a"])], in: store) == [0, 4, 5])  // array or scalar field
        #expect(try await matches(["tags": .all(["a", "c"])], in: store) == [4])
        #expect(try await matches(["tags": .all(["b"])], in: store) == [0, 1])
        // A missing field never matches.
        #expect(try await matches(["lang": "en"], in: store) == [4])
        #expect(try await matches(["created": .range(gte: 0)], in: store) == [0, 1, 2, 3, 5])
        #expect(try await matches(["category": "docs", "tags": .any(["c"])], in: store) == [4])
    }

    @Test func combinatorsAndNestedPaths() async throws {
        let store = try await store()
        #expect(try await matches(.or([["lang": "en"], ["lang": "fr"]]), in: store) == [4, 5])
        #expect(try await matches(.not(["category": "docs"]), in: store) == [2, 3, 5])
        #expect(try await matches(.and([["category": "notes"], .not(["draft": true])]), in: store) == [3])
        #expect(try await matches(["meta.author": "Ada"], in: store) == [0])
        #expect(try await matches(["meta.score": .range(gt: 0.5)], in: store) == [0])
        #expect(try await matches(["meta.missing": .exists(false)], in: store) == [0, 1, 2, 3, 4, 5])
        #expect(try await matches(["draft": .exists(true)], in: store) == [2])
    }

    @Test func filtersDecodedFromTheSeedJSONShape() async throws {
        let store = try await store()
        let json = #"{"category": "docs", "created": {"gte": 100}, "tags": {"any": ["a", "b"]}}"#
        let filter = try JSONDecoder().decode(SearchFilter.self, from: Data(json.utf8))
        #expect(try await matches(filter, in: store) == [0, 1])
        let or = try JSONDecoder().decode(SearchFilter.self, from: Data(#"{"$or": [{"lang": "fr"}, {"draft": true}]}"#.utf8))
        #expect(try await matches(or, in: store) == [2, 5])
    }

    @Test func repeatedFiltersSeeEveryWrite() async throws {
        // The second search with a filter reuses the first one's matching set until a write
        // changes the collection; every kind of write must invalidate it.
        let store = try await store()
        let filter: SearchFilter = ["category": "docs"]
        #expect(try await matches(filter, in: store) == [0, 1, 4])
        #expect(try await matches(filter, in: store) == [0, 1, 4])
        try await store.update(2, payload: ["category": "docs"])
        #expect(try await matches(filter, in: store) == [0, 1, 2, 4])
        try await store.delete(0)
        #expect(try await matches(filter, in: store) == [1, 2, 4])
        try await store.insert([[1, 1, 1, 1]], ids: [9], payloads: [["category": "docs"]])
        #expect(try await matches(filter, in: store) == [1, 2, 4, 9])
        try await store.deleteCollection()
        #expect(try await matches(filter, in: store) == [])
    }

    @Test func filteredSearchReturnsTheTrueBestMatches() async throws {
        // 2,000 vectors (an HNSW graph is searched), 1 % carry the tag: the search must return all of
        // them, best first, as an exact scan of the matching vectors would.
        let n = 2000
        let vectors = StoreFixtures.vectors(count: n, dimension: 16, seed: 11)
        let store = try await StoreFixtures.open(StoreFixtures.config(nil, dimension: 16))
        try await store.insert(vectors, ids: (0..<n).map { .int(Int64($0)) },
                               payloads: (0..<n).map { ["rare": .bool($0 % 100 == 7)] })
        let query = StoreFixtures.vectors(count: 1, dimension: 16, seed: 5)[0]
        let hits = try await store.search(query, limit: 30, filter: ["rare": true])
        #expect(hits.count == 20)  // exactly the 20 that match, never fewer
        let exact = try await store.search(query, limit: 30, filter: ["rare": true], options: SearchOptions(exact: true))
        #expect(hits.map(\.id) == exact.map(\.id))
        let top5 = try await store.search(query, limit: 5, filter: ["rare": true])
        #expect(top5.map(\.id) == Array(exact.prefix(5)).map(\.id))
    }
}
