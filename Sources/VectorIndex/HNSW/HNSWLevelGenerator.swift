#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws node levels the way FAISS does (`HNSW::set_default_probas(M, 1/ln M)` and
/// `HNSW::random_level`): level `l` has probability `exp(-l/mL)·(1 - exp(-1/mL))` with
/// `mL = 1/ln M`, the table stops where that falls below 1e-9, and a draw never exceeds the last
/// level of the table, so every graph can be written in the FAISS layout.
struct HNSWLevelGenerator {
    /// `assign_probas`, computed in single precision as FAISS does.
    let probabilities: [Double]
    /// `cum_nneighbor_per_level`: `[0, 2M, 3M, 4M, ...]`, one more entry than `probabilities`.
    let cumulativeNeighbors: [Int32]
    private var state: UInt64

    init(m: Int, seed: UInt64) {
        let levelMult = Float(1.0 / log(Double(m)))
        var probabilities: [Double] = []
        var cumulative: [Int32] = [0]
        var total: Int32 = 0
        var level = 0
        while true {
            let proba = expf(-Float(level) / levelMult) * (1 - expf(-1 / levelMult))
            if proba < 1e-9 { break }
            probabilities.append(Double(proba))
            total += Int32(level == 0 ? 2 * m : m)
            cumulative.append(total)
            level += 1
        }
        self.probabilities = probabilities
        cumulativeNeighbors = cumulative
        state = seed
    }

    /// Highest level a node can get.
    var maxLevel: Int { probabilities.count - 1 }

    /// The next level (deterministic for the seed).
    mutating func next() -> Int {
        var f = Double(nextRandom() >> 11) * 0x1.0p-53
        for (level, p) in probabilities.enumerated() {
            if f < p { return level }
            f -= p
        }
        return probabilities.count - 1
    }

    /// SplitMix64.
    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
