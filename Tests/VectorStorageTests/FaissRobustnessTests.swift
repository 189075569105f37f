import Testing
import VectorIndex
@testable import VectorStorage

/// Damaged and lying FAISS files: every one must throw ``FaissFormatError`` or, when the damage
/// keeps the structure valid (a float, an id, a neighbour that is still a node), decode into
/// contents that encode back to exactly the damaged bytes. Nothing may trap.
@Suite("FAISS reader robustness")
struct FaissRobustnessTests {
    /// Where the fields of a file written by ``FaissIndexWriter`` sit (test-side layout model).
    struct Layout {
        var headers: [Int] = []  // offsets of the three index headers
        var counts: [(name: String, offset: Int, value: UInt64)] = []
        var graphScalars: [String: Int] = [:]  // entry_point, max_level, efConstruction, efSearch, upper_beam

        init(dimension: Int, count: Int, graph: HNSWGraphLayout?) {
            var at = 4
            headers.append(at)
            at += 33
            at += 4
            if let graph {
                headers.append(at)
                at += 33
                for (name, n, size) in [
                    ("assign_probas", graph.assignProbabilities.count, 8),
                    ("cum_nneighbor_per_level", graph.cumulativeNeighborsPerLevel.count, 4),
                    ("levels", graph.levels.count, 4), ("offsets", graph.offsets.count, 8),
                    ("neighbors", graph.neighbors.count, 4),
                ] {
                    counts.append((name, at, UInt64(n)))
                    at += 8 + n * size
                }
                for name in ["entry_point", "max_level", "efConstruction", "efSearch", "upper_beam"] {
                    graphScalars[name] = at
                    at += 4
                }
                at += 4
            }
            headers.append(at)
            at += 33
            counts.append(("codes", at, UInt64(count * dimension)))
            at += 8 + 4 * count * dimension
            counts.append(("id_map", at, UInt64(count)))
        }
    }

    static let nodeCount = 40
    static let dimension = 3

    static func makeHNSW() throws -> (bytes: [UInt8], layout: Layout) {
        var random = FaissTestRandom(state: 42)
        let vectors = FaissTestData.randomVectors(count: nodeCount, dimension: dimension, using: &random)
        let ids = (0..<nodeCount).map { Int64($0) * 11 - 100 }
        let graph = FaissTestData.randomGraph(nodeCount: nodeCount, m: 4, using: &random)
        let bytes = try FaissTestData.encode(
            dimension: dimension, metric: .innerProduct, vectors: vectors, ids: ids, graph: graph)
        return (bytes, Layout(dimension: dimension, count: nodeCount, graph: graph))
    }

    static func makeFlat() throws -> (bytes: [UInt8], layout: Layout) {
        var random = FaissTestRandom(state: 43)
        let vectors = FaissTestData.randomVectors(count: nodeCount, dimension: dimension, using: &random)
        let ids = (0..<nodeCount).map { Int64($0) }
        let bytes = try FaissTestData.encode(dimension: dimension, metric: .l2, vectors: vectors, ids: ids, graph: nil)
        return (bytes, Layout(dimension: dimension, count: nodeCount, graph: nil))
    }

    /// An independent statement of what FAISS needs to search a decoded index without reading out
    /// of bounds; returns the first violation, or nil.
    static func oracleViolation(_ contents: FaissIndexContents) -> String? {
        let n = contents.count
        if contents.dimension < 1 { return "dimension" }
        if contents.vectors.count != n * contents.dimension { return "vector count" }
        if contents.ids.count != n || Set(contents.ids).count != n { return "ids" }
        guard let graph = contents.graph else { return nil }
        let levelsAvailable = graph.cumulativeNeighborsPerLevel.count - 1
        if levelsAvailable != graph.assignProbabilities.count { return "level tables" }
        if graph.levels.count != n || graph.offsets.count != n + 1 { return "node arrays" }
        for i in 0..<n {
            let level = Int(graph.levels[i])
            if level < 1 || level > levelsAvailable { return "levels[\(i)]" }
            let end = Int(graph.offsets[i]) + Int(graph.cumulativeNeighborsPerLevel[level])
            if Int(graph.offsets[i + 1]) != end || end > graph.neighbors.count { return "offsets[\(i + 1)]" }
        }
        if graph.neighbors.contains(where: { $0 < -1 || $0 >= n }) { return "neighbors" }
        if n == 0 { return graph.entryPoint == -1 && graph.maxLevel == -1 ? nil : "empty entry" }
        if graph.entryPoint < 0 || graph.entryPoint >= n { return "entry point" }
        if graph.maxLevel != graph.levels.max()! - 1 || graph.levels[Int(graph.entryPoint)] - 1 != graph.maxLevel {
            return "max level"
        }
        if graph.efSearch < 1 || graph.efConstruction < 1 { return "ef" }
        return nil
    }

    /// Throws (then the error must point inside the file), or decodes to contents that satisfy
    /// the oracle and re-encode to exactly `bytes`. Returns whether it threw.
    @discardableResult
    static func checkRejectedOrFaithful(_ bytes: [UInt8], _ what: @autoclosure () -> String) -> Bool {
        do {
            let contents = try FaissIndexReader.read(bytes)
            let violation = oracleViolation(contents)
            #expect(violation == nil, "accepted \(what()) with invalid \(violation ?? "")")
            let again = try? FaissTestData.encode(contents)
            #expect(again == bytes, "accepted \(what()) but it does not round-trip")
            return false
        } catch {
            #expect(error.offset >= 0 && error.offset <= bytes.count, "\(what()): offset \(error.offset)")
            return true
        }
    }

    static func expectRejected(_ bytes: [UInt8], _ what: @autoclosure () -> String) {
        #expect(throws: FaissFormatError.self, "\(what())") { try FaissIndexReader.read(bytes) }
    }

    static func setting<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, to value: T) -> [UInt8] {
        var copy = bytes
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, byte) in raw.enumerated() { copy[offset + i] = byte }
        }
        return copy
    }

    @Test func validFilesDecode() throws {
        #expect(try FaissIndexReader.read(Self.makeHNSW().bytes).count == Self.nodeCount)
        #expect(try FaissIndexReader.read(Self.makeFlat().bytes).count == Self.nodeCount)
    }

    @Test func truncationAtEveryHeaderOffsetAndSampledBodyOffsets() throws {
        for (bytes, layout) in [try Self.makeHNSW(), try Self.makeFlat()] {
            // The header region: everything up to the end of the first vector's count.
            let headerEnd = (layout.counts.first?.offset ?? 0) + 8
            var cuts = Array(0..<headerEnd)
            cuts += Array(stride(from: headerEnd, to: bytes.count, by: 7))
            cuts += Array(max(0, bytes.count - 40)..<bytes.count)
            cuts += layout.counts.flatMap { [$0.offset, $0.offset + 4, $0.offset + 8, $0.offset + 9] }
            for cut in Set(cuts) where cut < bytes.count {
                let truncated = Array(bytes[..<cut])
                do {
                    _ = try FaissIndexReader.read(truncated)
                    Issue.record("a file truncated to \(cut) of \(bytes.count) bytes was accepted")
                } catch {
                    #expect(error.offset <= cut, "cut \(cut): error at \(error.offset)")
                }
            }
        }
    }

    @Test func everySingleBitFlip() throws {
        for (bytes, _) in [try Self.makeHNSW(), try Self.makeFlat()] {
            var rejected = 0
            for offset in bytes.indices {
                for bit in 0..<8 {
                    var flipped = bytes
                    flipped[offset] ^= 1 << bit
                    if Self.checkRejectedOrFaithful(flipped, "bit \(bit) of byte \(offset) flipped") {
                        rejected += 1
                    }
                }
            }
            // Structure is most of a small file: many flips must be detected.
            #expect(rejected > bytes.count)
        }
    }

    @Test func hugeAndWrongCounts() throws {
        for (bytes, layout) in [try Self.makeHNSW(), try Self.makeFlat()] {
            for field in layout.counts {
                var values: [UInt64] = [.max, 1 << 63, UInt64(Int64.max), 1 << 40, 0xFFFF_FFFF, 0x8000_0000,
                                        field.value + 1, UInt64(bytes.count)]
                if field.value > 0 { values += [field.value - 1, 0] }
                for value in values where value != field.value {
                    Self.expectRejected(Self.setting(bytes, at: field.offset, to: value), "\(field.name).count = \(value)")
                }
            }
            for header in layout.headers {
                for d: Int32 in [0, -1, .min, .max, Int32(Self.dimension + 1)] {
                    Self.expectRejected(Self.setting(bytes, at: header, to: d), "d = \(d) in header at \(header)")
                }
                for n: Int64 in [-1, .min, .max, 1 << 40, 1 << 31, Int64(Self.nodeCount + 1), Int64(Self.nodeCount - 1), 0] {
                    Self.expectRejected(Self.setting(bytes, at: header + 4, to: n), "ntotal = \(n) in header at \(header)")
                }
                Self.expectRejected(Self.setting(bytes, at: header + 12, to: Int64(0)), "dummy 0")
                Self.expectRejected(Self.setting(bytes, at: header + 28, to: UInt8(0)), "is_trained 0")
                for metric: Int32 in [2, -1, 23, 1, 0] where metric != (layout.headers.count == 3 ? 0 : 1) {
                    Self.expectRejected(Self.setting(bytes, at: header + 29, to: metric), "metric \(metric) at \(header)")
                }
            }
        }
    }

    @Test func lyingGraphScalars() throws {
        let (bytes, layout) = try Self.makeHNSW()
        let n = Int32(Self.nodeCount)
        let lies: [(String, [Int32])] = [
            ("entry_point", [-2, -1, n, .max, .min]),
            ("max_level", [-1, -2, 30, .max]),
            ("efConstruction", [0, -1, .min]),
            ("efSearch", [0, -5, .min]),
            ("upper_beam", [0, 2, -1]),
        ]
        for (name, values) in lies {
            let offset = try #require(layout.graphScalars[name])
            for value in values {
                Self.expectRejected(Self.setting(bytes, at: offset, to: value), "\(name) = \(value)")
            }
        }
    }

    @Test func lyingStructure() throws {
        let (bytes, _) = try Self.makeHNSW()
        Self.expectRejected([], "empty file")
        Self.expectRejected(bytes + [0], "one trailing byte")
        Self.expectRejected(bytes + bytes, "two indexes back to back")
        for (offset, tag) in [(0, "IxMp"), (0, "IxM3"), (37, "IxFl"), (37, "IHNp"), (37, "IxFI")] {
            var copy = bytes
            copy.replaceSubrange(offset..<(offset + 4), with: Array(tag.utf8))
            Self.expectRejected(copy, "tag \(tag) at \(offset)")
        }
        let flat = try Self.makeFlat().bytes  // L2: its inner tag IxF2 must not become IxFI
        var mismatched = flat
        mismatched[40] = UInt8(ascii: "I")
        Self.expectRejected(mismatched, "IxFI under an L2 id map")
    }

    @Test func duplicateIDsAreRejected() throws {
        let (bytes, layout) = try Self.makeFlat()
        let idsStart = try #require(layout.counts.last).offset + 8
        let copy = Self.setting(bytes, at: idsStart + 8 * 5, to: Int64(2))  // ids[5] = ids[2]
        do {
            _ = try FaissIndexReader.read(copy)
            Issue.record("duplicate ids accepted")
        } catch {
            #expect(error.offset == idsStart + 8 * 5)
            #expect(error.field == "IndexIDMap2.id_map[5]")
        }
    }

    /// Seeded random damage: overwritten bytes, sometimes a truncation or an insertion.
    @Test func randomMutations() throws {
        var random = FaissTestRandom(state: 7)
        for (bytes, _) in [try Self.makeHNSW(), try Self.makeFlat()] {
            for round in 0..<1500 {
                var damaged = bytes
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    damaged[Int.random(in: damaged.indices, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                switch Int.random(in: 0..<6, using: &random) {
                case 0: damaged.removeLast(Int.random(in: 1...damaged.count, using: &random))
                case 1: damaged.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...damaged.count, using: &random))
                default: break
                }
                Self.checkRejectedOrFaithful(damaged, "mutation round \(round)")
            }
        }
    }
}
