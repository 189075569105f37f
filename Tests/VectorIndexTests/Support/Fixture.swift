import Foundation

/// The `minilm-debian-small` fixture: 5,000 real sentence embeddings (384-d, unit norm), 100
/// queries, and the exact top-100 by cosine for each query.
struct MiniLMFixture: Sendable {
    let dimension: Int
    let base: [Float]
    let queries: [Float]
    /// Row-major, `groundTruthK` ids per query, best first.
    let groundTruth: [Int32]
    let groundTruthK: Int

    var rows: Int { base.count / dimension }
    var queryCount: Int { queries.count / dimension }

    static let shared: MiniLMFixture = {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/minilm-debian-small")
        func floats(_ name: String) -> [Float] {
            let data = try! Data(contentsOf: folder.appendingPathComponent(name))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        let meta = try! JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("meta.json"))) as! [String: Any]
        let dimension = meta["dim"] as! Int
        let k = meta["k"] as? Int ?? 100
        let gt = try! Data(contentsOf: folder.appendingPathComponent("groundtruth.i32"))
            .withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        return MiniLMFixture(dimension: dimension, base: floats("base.f32"), queries: floats("queries.f32"),
                             groundTruth: gt, groundTruthK: k)
    }()

    /// Query `i` as a buffer slice.
    func query(_ i: Int) -> ArraySlice<Float> { queries[i * dimension ..< (i + 1) * dimension] }

    /// The exact top-`k` ids of query `i`.
    func truth(_ i: Int, k: Int) -> [Int] {
        (0 ..< k).map { Int(groundTruth[i * groundTruthK + $0]) }
    }
}

/// Fraction of `truth` found in `found`.
func recall(found: [Int], truth: [Int]) -> Double {
    Double(Set(found).intersection(truth).count) / Double(max(truth.count, 1))
}
