import Foundation
import VectorIndex

/// Vectors, queries and exact ground truth for a benchmark run.
struct BenchData {
    let name: String
    let dimension: Int
    let base: [Float]
    let queries: [Float]
    /// Row-major, `truthK` base rows per query, best first.
    let truth: [Int32]
    let truthK: Int

    var rows: Int { base.count / dimension }
    var queryCount: Int { queries.count / dimension }

    func query(_ i: Int) -> ArraySlice<Float> { queries[i * dimension ..< (i + 1) * dimension] }
    func truth(_ i: Int, k: Int) -> ArraySlice<Int32> { truth[i * truthK ..< i * truthK + k] }

    /// Reads a folder in the minilm-debian format: `base.f32`, `queries.f32`, `groundtruth.i32`
    /// (little-endian, row-major) and `meta.json` with `dim` and `k`.
    static func load(folder: String) throws -> BenchData {
        let url = URL(fileURLWithPath: folder)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("meta.json")))
        guard let meta = meta as? [String: Any], let dim = meta["dim"] as? Int, dim > 0 else {
            throw BenchError("\(folder)/meta.json has no positive \"dim\"")
        }
        let k = meta["k"] as? Int ?? 100
        func read<T>(_ name: String, as: T.Type) throws -> [T] {
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
        }
        let base = try read("base.f32", as: Float.self)
        let queries = try read("queries.f32", as: Float.self)
        let truth = try read("groundtruth.i32", as: Int32.self)
        guard base.count % dim == 0, queries.count % dim == 0, truth.count == queries.count / dim * k else {
            throw BenchError("\(folder): file sizes do not match dim \(dim) and k \(k)")
        }
        return BenchData(name: url.lastPathComponent, dimension: dim, base: base, queries: queries, truth: truth, truthK: k)
    }

    /// Clustered Gaussian-like data (seeded) with ground truth computed by an exact index.
    static func synthetic(rows: Int, dimension: Int, queries queryCount: Int, seed: UInt64) -> BenchData {
        var rng = SplitMix(seed: seed)
        let clusters = max(8, rows / 500)
        let centres = (0 ..< clusters * dimension).map { _ in rng.nextFloat() * 2 - 1 }
        func sample() -> [Float] {
            let c = Int(rng.next() % UInt64(clusters))
            var v = (0 ..< dimension).map { centres[c * dimension + $0] + 0.4 * (rng.nextFloat() * 2 - 1) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { v = v.map { $0 / norm } }
            return v
        }
        var base: [Float] = []
        base.reserveCapacity(rows * dimension)
        for _ in 0 ..< rows { base.append(contentsOf: sample()) }
        var queries: [Float] = []
        for _ in 0 ..< queryCount { queries.append(contentsOf: sample()) }
        let flat = FlatIndex(dimension: dimension, metric: .innerProduct)
        _ = base.withUnsafeBufferPointer { flat.add($0, threads: 1) }
        let k = 100
        let hits = queries.withUnsafeBufferPointer { flat.search(batch: $0, k: k) }
        let truth = hits.flatMap { $0.map { Int32($0.slot) } }
        return BenchData(name: "synthetic-\(rows)x\(dimension)", dimension: dimension, base: base, queries: queries,
                         truth: truth, truthK: k)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64, for reproducible synthetic data and filters.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
