import Foundation
import Testing
@testable import VectorStorage

/// The `ann_index.faiss` a collection writes is read by Python's `faiss.read_index` and answers
/// like the collection itself: the same top-10 for an exact collection, ≥ 95 % overlap for HNSW.
@Suite(.enabled(if: FaissPython.shouldRun, "python3 cannot import faiss (pip install faiss-cpu); set VS_REQUIRE_FAISS=1 to make this a failure"))
struct StoreFaissInteropTests {
    static let dimension = 384

    static func fixture(_ name: String, rows: Int) throws -> [[Float]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.root + "/minilm-debian-small/" + name))
        return data.withUnsafeBytes { raw in
            (0..<min(rows, raw.count / (4 * dimension))).map { row in
                (0..<dimension).map { j in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (row * dimension + j), as: UInt32.self)))
                }
            }
        }
    }

    private func compare(algorithm: ANNAlgorithm, distance: DistanceMetric, ids: (Int) -> VectorID) async throws -> Double {
        try FaissPython.requireAvailable()
        let dir = TemporaryDirectory()
        let base = try Self.fixture("base.f32", rows: 3000)
        // Scale the vectors so cosine really has to normalise (the fixture is unit-norm).
        let vectors = distance == .cosine ? base.enumerated().map { i, v in v.map { $0 * Float(1 + i % 7) } } : base
        let queries = try Self.fixture("queries.f32", rows: 100)
        let config = StoreFixtures.config(dir, dimension: Self.dimension, algorithm: algorithm, distance: distance)
        let store = try await StoreFixtures.open(config)
        let rowIDs = (0..<vectors.count).map(ids)
        try await store.insert(vectors, ids: rowIDs)
        var ours: [[VectorID]] = []
        for q in queries { ours.append(try await store.search(q, limit: 10, filter: nil, options: SearchOptions(efSearch: 128)).map(\.id)) }
        try await store.disconnect()

        // FAISS's labels are the integer ids, or row numbers (ann_metadata.json's order) for string ids.
        var labelToID: [Int64: VectorID] = [:]
        let metaData = try #require(dir.read("store/ann_metadata.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: metaData) as? [String: Any])
        let labelsAreRows = meta["faissLabels"] as? String == "row"
        let listed = try #require(meta["vectors"] as? [[Any]])
        for (row, entry) in listed.enumerated() {
            let id: VectorID = (entry[0] as? String).map { .string($0) } ?? .int(Int64(entry[0] as! Int))
            labelToID[labelsAreRows ? Int64(row) : { if case .int(let i) = id { return i }; return -1 }()] = id
        }
        let queryFile = dir.file("queries.f32")
        var raw = Data()
        for q in queries { q.withUnsafeBytes { raw.append(contentsOf: $0) } }
        dir.write("queries.f32", raw)
        try FaissPython.tool([
            "search", dir.file("store/ann_index.faiss"), queryFile, "--dim", "\(Self.dimension)", "--k", "10",
            "--ef-search-if-hnsw", "128", "--out", dir.file("ids.i64"),
        ])
        let idData = try #require(dir.read("ids.i64"))
        let faissIDs = idData.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
        }
        var overlap = 0, identical = 0
        for (qi, mine) in ours.enumerated() {
            let theirs = faissIDs[(qi * 10)..<(qi * 10 + 10)].map { labelToID[$0] }
            overlap += Set(mine).intersection(Set(theirs.compactMap { $0 })).count
            if theirs == mine.map(Optional.some) { identical += 1 }
        }
        if algorithm != .hnsw { #expect(identical == queries.count, "exact search must give identical top-10") }
        return Double(overlap) / Double(10 * queries.count)
    }

    @Test func exactCosineCollectionWithStringIDsMatchesFaissExactly() async throws {
        let overlap = try await compare(algorithm: .flat, distance: .cosine) { .string("doc-\($0)") }
        #expect(overlap == 1)
    }

    @Test func exactEuclideanCollectionWithIntegerIDs() async throws {
        let overlap = try await compare(algorithm: .flat, distance: .euclidean) { .int(Int64($0 * 3 + 1)) }
        #expect(overlap == 1)
    }

    @Test func hnswCosineCollectionOverlapsFaissAtLeast95Percent() async throws {
        let overlap = try await compare(algorithm: .hnsw, distance: .cosine) { .int(Int64($0)) }
        #expect(overlap >= 0.95)
    }

    @Test func hnswDotProductCollection() async throws {
        let overlap = try await compare(algorithm: .hnsw, distance: .dotProduct) { .string("d\($0)") }
        #expect(overlap >= 0.95)
    }
}
