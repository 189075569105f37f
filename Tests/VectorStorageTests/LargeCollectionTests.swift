import Foundation
import Testing
@testable import VectorStorage

/// The seed's largest default collection, 10,000 × 1,536, saved and reopened (no timing assertion;
/// run it optimised, as `scripts/test.sh` does).
@Suite struct LargeCollectionTests {
    @Test func tenThousandBy1536SavedAndReopened() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 1536, maxVectors: 10_000, algorithm: .flat)
        let count = 10_000
        let vectors = StoreFixtures.vectors(count: count, dimension: 1536, seed: 42)
        let ids: [VectorID] = (0..<count).map { $0 % 3 == 0 ? .int(Int64($0)) : .string("doc-\($0)") }
        let payloads: [Payload] = (0..<count).map { ["n": .int(Int64($0)), "title": .string("Document \($0)")] }
        do {
            let store = try await StoreFixtures.open(config)
            try await store.insert(vectors, ids: ids, payloads: payloads)
            try await store.disconnect()
        }
        // The seed's shape at the seed's maximum size: the vectors are inline in ann_metadata.json.
        let meta = try #require(dir.read("store/ann_metadata.json"))
        #expect(meta.count > 100_000_000)

        let probes = [0, 1, 4_999, 9_998, 9_999]
        let query = vectors[1234]
        var expectedTop: [VectorID] = []
        do {
            let store = try await StoreFixtures.open(config)
            #expect(try store.count() == count)
            for i in probes {
                let got = try #require(try await store.get(ids[i]))
                #expect(got.vector == vectors[i])
                #expect(got.payload == payloads[i])
            }
            expectedTop = try await store.search(query, limit: 5).map(\.id)
            #expect(expectedTop.first == ids[1234])
            try await store.disconnect()
        }
        // Again from the JSON alone (the binary vectors file removed): the dedicated float codec.
        try FileManager.default.removeItem(atPath: dir.file("store/ann_vectors.bin"))
        let fromJSON = try await StoreFixtures.open(config)
        #expect(try fromJSON.count() == count)
        for i in probes { #expect(try await fromJSON.get(ids[i])?.vector == vectors[i]) }
        #expect(try await fromJSON.search(query, limit: 5).map(\.id) == expectedTop)
        try await fromJSON.disconnect()
    }
}
