import Foundation
import Testing
import VectorIndex
@testable import VectorStorage

// MARK: - Helpers shared by the Faiss*Tests files

/// SplitMix64: deterministic, so every failure is reproducible.
struct FaissTestRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}

enum FaissTestData {
    /// `Tests/`, found from this file's path.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let interopDirectory = testsDirectory.appendingPathComponent("Interop")
    static let genuineFixtures = interopDirectory.appendingPathComponent("fixtures")
    static let minilmDirectory = testsDirectory.appendingPathComponent("Fixtures/minilm-debian-small")

    /// Encodes with ``FaissIndexWriter`` into one array.
    static func encode(
        dimension: Int, metric: FaissMetric, vectors: [Float], ids: [Int64], graph: HNSWGraphLayout?
    ) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try vectors.withUnsafeBufferPointer { v in
            try ids.withUnsafeBufferPointer { i in
                try FaissIndexWriter.write(dimension: dimension, metric: metric, vectors: v, ids: i, graph: graph) {
                    bytes.append(contentsOf: $0)
                }
            }
        }
        return bytes
    }

    static func encode(_ contents: FaissIndexContents) throws -> [UInt8] {
        try encode(
            dimension: contents.dimension, metric: contents.metric, vectors: contents.vectors, ids: contents.ids,
            graph: contents.graph)
    }

    static func decode(_ bytes: [UInt8]) throws(FaissFormatError) -> FaissIndexContents {
        try FaissIndexReader.read(bytes)
    }

    /// The same values as `fixture_vectors` in `Tests/Interop/faiss_tool.py`.
    static func fixtureVectors(count: Int, dimension: Int) -> [Float] {
        var vectors: [Float] = []
        for i in 0..<count {
            for j in 0..<dimension {
                let step = (7 * i + 3 * j) % 17
                vectors.append(Float(step) / 4 - 2)
            }
        }
        return vectors
    }

    static func randomVectors(count: Int, dimension: Int, using random: inout FaissTestRandom) -> [Float] {
        (0..<(count * dimension)).map { _ in Float.random(in: -1...1, using: &random) }
    }

    static func readFile(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static func readArray<T: BitwiseCopyable>(_ url: URL, as _: T.Type) throws -> [T] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / MemoryLayout<T>.size)).map {
                raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)
            }
        }
    }

    /// A random but valid HNSW layout over `nodeCount` nodes with FAISS's default level tables for
    /// `m` (`HNSW::set_default_probas`): random levels, random neighbours (a few -1 slots).
    static func randomGraph(nodeCount: Int, m: Int, using random: inout FaissTestRandom) -> HNSWGraphLayout {
        let levelMultiplier = 1 / log(Double(m))
        var probabilities: [Double] = []
        var cumulative: [Int32] = [0]
        for level in 0... {
            let p = exp(-Double(level) / levelMultiplier) * (1 - exp(-1 / levelMultiplier))
            if p < 1e-9 { break }
            probabilities.append(p)
            cumulative.append(cumulative.last! + Int32(level == 0 ? 2 * m : m))
        }
        var levels: [Int32] = []
        for _ in 0..<nodeCount {
            var u = Double.random(in: 0..<1, using: &random)
            var level = 0
            while level < probabilities.count - 1, u >= probabilities[level] {
                u -= probabilities[level]
                level += 1
            }
            levels.append(Int32(level + 1))
        }
        var offsets: [UInt64] = [0]
        var neighbors: [Int32] = []
        for level in levels {
            let width = Int(cumulative[Int(level)])
            offsets.append(offsets.last! + UInt64(width))
            for _ in 0..<width {
                neighbors.append(Int.random(in: 0..<8, using: &random) == 0 ? -1 : Int32.random(in: 0..<Int32(nodeCount), using: &random))
            }
        }
        let entry = levels.indices.max { levels[$0] < levels[$1] }.map(Int32.init) ?? -1
        return HNSWGraphLayout(
            assignProbabilities: probabilities, cumulativeNeighborsPerLevel: cumulative, levels: levels,
            offsets: offsets, neighbors: neighbors, entryPoint: entry,
            maxLevel: entry >= 0 ? levels[Int(entry)] - 1 : -1, efConstruction: 40, efSearch: 16)
    }

    /// A small valid HNSW file of our own, used by the robustness tests.
    static func smallHNSWFile(metric: FaissMetric = .innerProduct, nodeCount: Int = 40, dimension: Int = 3) throws -> [UInt8] {
        var random = FaissTestRandom(state: 42)
        let vectors = randomVectors(count: nodeCount, dimension: dimension, using: &random)
        let ids = (0..<nodeCount).map { Int64($0) * 11 - 100 }
        let graph = randomGraph(nodeCount: nodeCount, m: 4, using: &random)
        return try encode(dimension: dimension, metric: metric, vectors: vectors, ids: ids, graph: graph)
    }
}

// MARK: - Codec tests (no Python needed)

@Suite("FAISS codec")
struct FaissCodecTests {
    @Test(arguments: FaissMetric.allCases)
    func flatRoundTrip(metric: FaissMetric) throws {
        var random = FaissTestRandom(state: 1)
        let vectors = FaissTestData.randomVectors(count: 300, dimension: 17, using: &random)
        let ids = (0..<300).map { _ in Int64.random(in: .min ... .max, using: &random) }
        let bytes = try FaissTestData.encode(dimension: 17, metric: metric, vectors: vectors, ids: ids, graph: nil)
        #expect(bytes.count == FaissIndexWriter.encodedByteCount(dimension: 17, count: 300, graph: nil))
        let contents = try FaissTestData.decode(bytes)
        #expect(contents == FaissIndexContents(dimension: 17, metric: metric, count: 300, vectors: vectors, ids: ids, graph: nil))
        #expect(try FaissTestData.encode(contents) == bytes)
    }

    @Test(arguments: FaissMetric.allCases)
    func hnswRoundTrip(metric: FaissMetric) throws {
        var random = FaissTestRandom(state: 2)
        let vectors = FaissTestData.randomVectors(count: 500, dimension: 8, using: &random)
        let ids = (0..<500).map { Int64($0) * 3 }
        let graph = FaissTestData.randomGraph(nodeCount: 500, m: 16, using: &random)
        let bytes = try FaissTestData.encode(dimension: 8, metric: metric, vectors: vectors, ids: ids, graph: graph)
        #expect(bytes.count == FaissIndexWriter.encodedByteCount(dimension: 8, count: 500, graph: graph))
        let contents = try FaissTestData.decode(bytes)
        #expect(contents.graph == graph)
        #expect(contents.vectors == vectors)
        #expect(contents.ids == ids)
        #expect(contents.metric == metric)
        #expect(try FaissTestData.encode(contents) == bytes)
    }

    @Test func emptyIndexesRoundTrip() throws {
        var random = FaissTestRandom(state: 3)
        let emptyGraph = FaissTestData.randomGraph(nodeCount: 0, m: 4, using: &random)
        #expect(emptyGraph.entryPoint == -1 && emptyGraph.offsets == [0])
        for graph in [nil, emptyGraph] {
            let bytes = try FaissTestData.encode(dimension: 5, metric: .l2, vectors: [], ids: [], graph: graph)
            let contents = try FaissTestData.decode(bytes)
            #expect(contents.count == 0 && contents.graph == graph && contents.dimension == 5)
        }
    }

    /// Files written by faiss 1.15.1 itself (Tests/Interop/fixtures, made by faiss_tool.py):
    /// we read the values FAISS stored and write back the very same bytes.
    @Test(arguments: ["flat_ip", "flat_l2"])
    func genuineFlatFiles(name: String) throws {
        let bytes = try FaissTestData.readFile(FaissTestData.genuineFixtures.appendingPathComponent(name + ".faiss"))
        let contents = try FaissTestData.decode(bytes)
        #expect(contents.metric == (name == "flat_ip" ? .innerProduct : .l2))
        #expect(contents.dimension == 4 && contents.count == 3)
        #expect(contents.ids == [10, 20, 30])
        #expect(contents.vectors == FaissTestData.fixtureVectors(count: 3, dimension: 4))
        #expect(contents.graph == nil)
        #expect(try FaissTestData.encode(contents) == bytes)
    }

    @Test(arguments: ["hnsw_ip", "hnsw_l2"])
    func genuineHNSWFiles(name: String) throws {
        let bytes = try FaissTestData.readFile(FaissTestData.genuineFixtures.appendingPathComponent(name + ".faiss"))
        let contents = try FaissTestData.decode(bytes)
        #expect(contents.metric == (name == "hnsw_ip" ? .innerProduct : .l2))
        #expect(contents.dimension == 8 && contents.count == 200)
        #expect(contents.ids == (0..<200).map { Int64($0) * 3 + 1000 })
        #expect(contents.vectors == FaissTestData.fixtureVectors(count: 200, dimension: 8))
        let graph = try #require(contents.graph)
        #expect(graph.cumulativeNeighborsPerLevel.prefix(3) == [0, 8, 12])  // M = 4
        #expect(graph.efConstruction == 40 && graph.efSearch == 16)
        #expect(graph.levels.count == 200 && graph.maxLevel >= 1)
        #expect(try FaissTestData.encode(contents) == bytes)
    }

    @Test(arguments: ["empty_flat_ip", "empty_hnsw_l2"])
    func genuineEmptyFiles(name: String) throws {
        let bytes = try FaissTestData.readFile(FaissTestData.genuineFixtures.appendingPathComponent(name + ".faiss"))
        let contents = try FaissTestData.decode(bytes)
        #expect(contents.count == 0 && contents.dimension == 4)
        #expect((contents.graph != nil) == (name == "empty_hnsw_l2"))
        #expect(try FaissTestData.encode(contents) == bytes)
    }

    /// The vectors reach the sink straight from the caller's buffer: no second copy.
    @Test func writerPassesVectorsThrough() throws {
        let vectors = [Float](repeating: 0.5, count: 64 * 1024)
        let ids = (0..<1024).map(Int64.init)
        var sawCallerBuffer = false
        try vectors.withUnsafeBufferPointer { v in
            try ids.withUnsafeBufferPointer { i in
                try FaissIndexWriter.write(dimension: 64, metric: .innerProduct, vectors: v, ids: i, graph: nil) { chunk in
                    if chunk.baseAddress == UnsafeRawPointer(v.baseAddress) && chunk.count == v.count * 4 {
                        sawCallerBuffer = true
                    }
                }
            }
        }
        #expect(sawCallerBuffer)
    }

    @Test func writerRejectsInconsistentInputBeforeWriting() throws {
        var random = FaissTestRandom(state: 4)
        let graph = FaissTestData.randomGraph(nodeCount: 10, m: 4, using: &random)
        func attempt(
            dimension: Int = 2, vectors: [Float] = .init(repeating: 0, count: 20), ids: [Int64] = Array(0..<10),
            graph: HNSWGraphLayout? = nil
        ) -> (any Error)? {
            var sinkCalled = false
            do {
                try vectors.withUnsafeBufferPointer { v in
                    try ids.withUnsafeBufferPointer { i in
                        try FaissIndexWriter.write(dimension: dimension, metric: .l2, vectors: v, ids: i, graph: graph) { _ in
                            sinkCalled = true
                        }
                    }
                }
                return nil
            } catch {
                #expect(!sinkCalled)
                return error
            }
        }
        #expect(attempt(dimension: 0) as? FaissWriteError == .invalidDimension(0))
        #expect(attempt(vectors: [1, 2, 3]) as? FaissWriteError == .vectorCountMismatch(vectorFloats: 3, ids: 10, dimension: 2))
        #expect(attempt(ids: [0, 1, 2, 3, 4, 5, 6, 7, 8, 3]) as? FaissWriteError == .duplicateID(3, firstIndex: 3, secondIndex: 9))
        #expect(attempt(graph: graph) == nil)
        var badNeighbor = graph
        badNeighbor.neighbors[5] = 10
        #expect(attempt(graph: badNeighbor) as? FaissWriteError == .invalidGraph("neighbors[5]: 10 is neither -1 nor a node in 0..<10"))
        var badEntry = graph
        badEntry.entryPoint = -1
        #expect(attempt(graph: badEntry) as? FaissWriteError != nil)
        var badLevels = graph
        badLevels.levels[0] = 0
        #expect(attempt(graph: badLevels) as? FaissWriteError != nil)
        var badSearch = graph
        badSearch.efSearch = 0
        #expect(attempt(graph: badSearch) as? FaissWriteError == .invalidGraph("efSearch: 0 is not at least 1"))
        #expect(attempt(ids: Array(0..<9), graph: graph) as? FaissWriteError != nil)
    }

    @Test func sinkErrorsPropagate() {
        struct DiskFull: Error {}
        #expect(throws: DiskFull.self) {
            try [Float](repeating: 1, count: 8).withUnsafeBufferPointer { v in
                try [Int64(1), 2].withUnsafeBufferPointer { i in
                    try FaissIndexWriter.write(dimension: 4, metric: .l2, vectors: v, ids: i, graph: nil) { _ in throw DiskFull() }
                }
            }
        }
    }

    @Test func errorsNameOffsetAndField() throws {
        var bytes = try FaissTestData.encode(dimension: 2, metric: .l2, vectors: [1, 2, 3, 4], ids: [7, 7 + 1], graph: nil)
        // The inner tag starts after "IxM2" (4 bytes) and its 33-byte header: "IxF2" -> "IxFx".
        bytes[4 + 33 + 3] = UInt8(ascii: "x")
        do {
            _ = try FaissTestData.decode(bytes)
            Issue.record("a damaged tag was accepted")
        } catch {
            #expect(error.offset == 37)
            #expect(error.field == "IndexIDMap2.index type")
            #expect(error.problem == .unexpectedTag(found: "IxFx", expected: ["IHNf", "IxFI", "IxF2"]))
            #expect("\(error)".contains("at byte 37"))
        }
    }
}
