import CVectorKernels

/// The distance kernels for one metric, taken from the CPU-specific table once.
///
/// Inside the index every comparison uses a *distance* (lower is closer):
/// - inner product: `-dot(q, x)`
/// - cosine: `-dot(q, x) / ‖x‖` (the query norm is constant per query and applied at the end)
/// - Euclidean: `‖q - x‖²`
///
/// ``score(distance:queryInverseNorm:)`` turns a distance into the public score (higher is more
/// similar).
struct MetricKernels: @unchecked Sendable {
    let metric: Metric
    /// Raw kernel: dot product for inner product and cosine, squared distance for Euclidean.
    let pair: @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, Int) -> Float
    let many: @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, Int, Int, Int, UnsafeMutablePointer<Float>?) -> Void
    let gather: @convention(c) (UnsafePointer<Float>?, UnsafePointer<UnsafePointer<Float>?>?, Int, Int, UnsafeMutablePointer<Float>?) -> Void
    let batch: @convention(c) (UnsafePointer<Float>?, Int, Int, UnsafePointer<Float>?, Int, Int, Int, UnsafeMutablePointer<Float>?, Int) -> Void
    /// -1 for the dot-based metrics (distance = -dot), +1 for Euclidean.
    let sign: Float
    /// Whether a row's distance is scaled by its inverse norm (cosine).
    let usesInverseNorm: Bool
    /// The kernel table in use.
    let table: UnsafePointer<vk_kernels>

    /// Name of the instruction set in use ("avx512", "avx2", "neon", "portable").
    var isaName: String { String(cString: table.pointee.name) }

    init(metric: Metric, table: UnsafePointer<vk_kernels> = vk_active_kernels()) {
        self.metric = metric
        let t = table.pointee
        switch metric {
        case .innerProduct, .cosine:
            pair = t.dot!
            many = t.dot_many!
            gather = t.dot_gather!
            batch = t.dot_batch!
            sign = -1
        case .euclidean:
            pair = t.l2sq!
            many = t.l2sq_many!
            gather = t.l2sq_gather!
            batch = t.l2sq_batch!
            sign = 1
        }
        usesInverseNorm = metric == .cosine
        self.table = table
    }

    /// 1/‖v‖, or 0 for a zero vector; used for cosine.
    func inverseNorm(_ v: UnsafePointer<Float>, count: Int) -> Float {
        let n = table.pointee.dot!(v, v, count)
        return n > 0 ? 1 / n.squareRoot() : 0
    }

    /// The distance from the query to a stored row.
    @inline(__always)
    func distance(_ query: UnsafePointer<Float>, _ row: UnsafePointer<Float>, inverseNorm: Float, dimension: Int) -> Float {
        let raw = pair(query, row, dimension)
        return usesInverseNorm ? sign * raw * inverseNorm : sign * raw
    }

    /// The public score of a distance: higher is more similar.
    @inline(__always)
    func score(distance: Float, queryInverseNorm: Float) -> Float {
        switch metric {
        case .innerProduct: return -distance
        case .cosine: return -distance * queryInverseNorm
        case .euclidean: return -max(distance, 0).squareRoot()
        }
    }
}
