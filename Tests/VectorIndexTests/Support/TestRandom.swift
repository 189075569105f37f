/// A small seeded generator (SplitMix64) so tests are reproducible.
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` floats uniform in [-1, 1).
    mutating func floats(_ count: Int) -> [Float] {
        (0 ..< count).map { _ in Float.random(in: -1 ..< 1, using: &self) }
    }

    /// `rows` vectors of `dimension` components, row-major, clustered around a few centres so
    /// that neighbourhoods look like real embeddings more than uniform noise does.
    mutating func clusteredVectors(rows: Int, dimension: Int, clusters: Int = 16) -> [Float] {
        let centres = (0 ..< clusters).map { _ in floats(dimension) }
        var out: [Float] = []
        out.reserveCapacity(rows * dimension)
        for _ in 0 ..< rows {
            let c = centres[Int.random(in: 0 ..< clusters, using: &self)]
            for j in 0 ..< dimension { out.append(c[j] + 0.35 * Float.random(in: -1 ..< 1, using: &self)) }
        }
        return out
    }
}
