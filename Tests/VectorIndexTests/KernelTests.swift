import CVectorKernels
import Testing
@testable import VectorIndex

/// Every kernel table this CPU can run, the portable one included.
private nonisolated(unsafe) let tables: [UnsafePointer<vk_kernels>] =
    [VK_ISA_PORTABLE, VK_ISA_AVX2, VK_ISA_AVX512, VK_ISA_NEON].compactMap { vk_kernels_for_isa($0) }

/// Tolerance for a float32 kernel against the double reference: 1e-5 relative to the sum of
/// absolute terms (a plain relative error is meaningless when the terms cancel).
private func close(_ value: Float, _ reference: Double, scale: Double) -> Bool {
    abs(Double(value) - reference) <= 1e-5 * max(scale, 1e-30)
}

private func magnitudeDot(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0) { $0 + abs(Double($1.0) * Double($1.1)) }
}

@Suite struct KernelTests {
    static let lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 384, 385, 1000, 1536]

    @Test func activeTableIsTheWidestAvailable() {
        let active = vk_active_kernels()!
        #expect(tables.contains { $0 == active })
        #if arch(x86_64)
        if let avx512 = vk_kernels_for_isa(VK_ISA_AVX512) { #expect(active == avx512) }
        #endif
    }

    @Test(arguments: lengths) func pairKernelsMatchReference(n: Int) {
        var rng = TestRandom(seed: UInt64(n) + 1)
        let a = rng.floats(n), b = rng.floats(n)
        let dot = vk_reference_dot(a, b, n), l2 = vk_reference_l2sq(a, b, n)
        for t in tables {
            let k = t.pointee
            #expect(close(k.dot(a, b, n), dot, scale: magnitudeDot(a, b)), "\(String(cString: k.name)) dot n=\(n)")
            #expect(close(k.l2sq(a, b, n), l2, scale: l2), "\(String(cString: k.name)) l2sq n=\(n)")
        }
    }

    @Test(arguments: [1, 5, 16, 33, 384])
    func manyGatherAndBatchMatchReference(n: Int) {
        var rng = TestRandom(seed: UInt64(n) * 7 + 3)
        let rows = 13, stride = n + 5  // an unaligned stride exercises every tail
        let base = rng.floats(rows * stride)
        let queries = rng.floats(11 * n)
        func row(_ r: Int) -> [Float] { Array(base[r * stride ..< r * stride + n]) }
        func query(_ q: Int) -> [Float] { Array(queries[q * n ..< (q + 1) * n]) }
        for t in tables {
            let k = t.pointee
            let name = String(cString: k.name)
            for (fn, reference, gather, batch, isDot) in [
                (k.dot_many!, vk_reference_dot, k.dot_gather!, k.dot_batch!, true),
                (k.l2sq_many!, vk_reference_l2sq, k.l2sq_gather!, k.l2sq_batch!, false),
            ] {
                var out = [Float](repeating: .nan, count: rows)
                let q = query(0)
                fn(q, base, stride, rows, n, &out)
                for r in 0 ..< rows {
                    let ref = reference(q, row(r), n)
                    let scale = isDot ? magnitudeDot(q, row(r)) : ref
                    #expect(close(out[r], ref, scale: scale), "\(name) many row \(r) n=\(n)")
                }
                base.withUnsafeBufferPointer { bp in
                    let order = [4, 0, 12, 7, 7]
                    let pointers: [UnsafePointer<Float>?] = order.map { bp.baseAddress! + $0 * stride }
                    var g = [Float](repeating: .nan, count: order.count)
                    gather(q, pointers, order.count, n, &g)
                    for (i, r) in order.enumerated() {
                        let ref = reference(q, row(r), n)
                        #expect(close(g[i], ref, scale: isDot ? magnitudeDot(q, row(r)) : ref), "\(name) gather n=\(n)")
                    }
                }
                let nq = 11, outStride = rows + 2
                var b = [Float](repeating: .nan, count: nq * outStride)
                batch(queries, n, nq, base, stride, rows, n, &b, outStride)
                for qi in 0 ..< nq {
                    for r in 0 ..< rows {
                        let ref = reference(query(qi), row(r), n)
                        let scale = isDot ? magnitudeDot(query(qi), row(r)) : ref
                        #expect(close(b[qi * outStride + r], ref, scale: scale), "\(name) batch q\(qi) r\(r) n=\(n)")
                    }
                }
            }
        }
    }

    @Test func metricKernelsScoreLikeTheOracle() {
        var rng = TestRandom(seed: 99)
        let d = 37
        let q = rng.floats(d), x = rng.floats(d)
        for metric in Metric.allCases {
            let k = MetricKernels(metric: metric)
            let inv = k.inverseNorm(x, count: d)
            let qInv = k.inverseNorm(q, count: d)
            let dist = k.distance(q, x, inverseNorm: inv, dimension: d)
            let score = k.score(distance: dist, queryInverseNorm: qInv)
            let oracle = BruteForce(dimension: d, metric: metric).score(q[...], x[...])
            #expect(abs(Double(score) - oracle) < 1e-5 * max(1, abs(oracle)), "\(metric)")
        }
    }

    @Test func zeroVectorHasZeroCosine() {
        let k = MetricKernels(metric: .cosine)
        let zero = [Float](repeating: 0, count: 8), x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(k.inverseNorm(zero, count: 8) == 0)
        let dist = k.distance(x, zero, inverseNorm: 0, dimension: 8)
        #expect(k.score(distance: dist, queryInverseNorm: k.inverseNorm(x, count: 8)) == 0)
    }
}
