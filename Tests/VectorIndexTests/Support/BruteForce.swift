@testable import VectorIndex

/// A slow, obviously correct oracle: scores every candidate in double precision.
struct BruteForce {
    let dimension: Int
    let metric: Metric

    func score(_ q: ArraySlice<Float>, _ x: ArraySlice<Float>) -> Double {
        var dot = 0.0, qq = 0.0, xx = 0.0, l2 = 0.0
        for (a, b) in zip(q, x) {
            let a = Double(a), b = Double(b)
            dot += a * b; qq += a * a; xx += b * b; l2 += (a - b) * (a - b)
        }
        switch metric {
        case .innerProduct: return dot
        case .cosine: return qq > 0 && xx > 0 ? dot / (qq.squareRoot() * xx.squareRoot()) : 0
        case .euclidean: return -l2.squareRoot()
        }
    }

    /// The best `k` of `candidates` (slot → vector), best first, ties by slot.
    func topK(_ q: ArraySlice<Float>, k: Int, candidates: [(slot: Int, vector: ArraySlice<Float>)]) -> [(slot: Int, score: Double)] {
        candidates.map { ($0.slot, score(q, $0.vector)) }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            .prefix(k).map { (slot: $0.0, score: $0.1) }
    }
}
