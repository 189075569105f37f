import VectorIndex

/// Writes a genuine FAISS index file, the bytes `faiss::write_index` produces for the same index,
/// which `faiss.read_index` loads:
///
/// ```
/// "IxM2"  IndexIDMap2   header(d, ntotal, metric)
///   "IxFI" | "IxF2"     IndexFlatIP | IndexFlatL2: header, codes      (exact collections)
///   or
///   "IHNf"  IndexHNSWFlat header, hnsw:                                (HNSW collections)
///       assign_probas            u64 n, n × f64
///       cum_nneighbor_per_level  u64 n, n × i32
///       levels                   u64 ntotal, ntotal × i32
///       offsets                  u64 ntotal+1, (ntotal+1) × u64
///       neighbors                u64 n, n × i32
///       entry_point, max_level, efConstruction, efSearch   i32 each
///       upper_beam               i32 = 1 (deprecated; FAISS writes the constant 1)
///     storage: "IxFI" | "IxF2" IndexFlat header, codes
///   id_map                       u64 ntotal, ntotal × i64
/// codes = u64 (ntotal × d) then ntotal × d × f32, row-major (FAISS counts 4-byte words)
/// header = d i32, ntotal i64, 1<<20 i64, 1<<20 i64, is_trained u8 = 1, metric_type i32
/// ```
///
/// All integers and floats are little-endian; every nested header repeats the same `d`,
/// `ntotal` and metric. See ``FaissIndexHeader`` for the header fields' values.
package enum FaissIndexWriter {
    /// Streams the index to `sink` in chunks; the vectors and the large graph arrays are passed
    /// to it straight from the caller's memory.
    ///
    /// - Parameters:
    ///   - dimension: components per vector, in `1 ... Int32.max`.
    ///   - metric: written as given; for cosine, pass normalised vectors and `.innerProduct`.
    ///   - vectors: `ids.count × dimension` floats, row-major.
    ///   - ids: one id per vector, all different.
    ///   - graph: the HNSW graph over nodes `0 ..< ids.count` for an `IndexHNSWFlat`, or `nil`
    ///     for an exact `IndexFlat`.
    ///   - sink: receives the file's bytes in order; each buffer is valid only during the call.
    /// - Throws: ``FaissWriteError`` when the input is inconsistent, before any byte reaches the
    ///   sink; otherwise whatever `sink` throws.
    package static func write(
        dimension: Int, metric: FaissMetric, vectors: UnsafeBufferPointer<Float>,
        ids: UnsafeBufferPointer<Int64>, graph: HNSWGraphLayout?,
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try validate(dimension: dimension, vectors: vectors, ids: ids, graph: graph)
        let header = FaissIndexHeader(dimension: dimension, count: ids.count, metric: metric)
        try withoutActuallyEscaping(sink) { sink in
            var out = FaissByteSink(sink: sink)
            out.append(FaissFourCC.idMap2)
            header.write(to: &out)
            if let graph {
                out.append(FaissFourCC.hnswFlat)
                header.write(to: &out)
                try writeGraph(graph, to: &out)
            }
            out.append(metric.flatTag)
            header.write(to: &out)
            try out.appendVector(vectors)
            try out.appendVector(ids)
            try out.flush()
        }
    }

    /// The exact size in bytes of the file `write(dimension:metric:vectors:ids:graph:to:)`
    /// produces for these inputs (useful to preallocate or to check a file's length).
    /// Meant for inputs the writer accepts (sizes that fit in memory).
    package static func encodedByteCount(dimension: Int, count: Int, graph: HNSWGraphLayout?) -> Int {
        let tagged = 4 + FaissIndexHeader.byteCount
        var total = tagged + tagged + 8 + 4 * dimension * count + 8 + 8 * count
        if let graph {
            total += tagged
            total += 8 + 8 * graph.assignProbabilities.count
            total += 8 + 4 * graph.cumulativeNeighborsPerLevel.count
            total += 8 + 4 * graph.levels.count
            total += 8 + 8 * graph.offsets.count
            total += 8 + 4 * graph.neighbors.count
            total += 5 * 4
        }
        return total
    }

    private static func writeGraph(_ graph: HNSWGraphLayout, to out: inout FaissByteSink) throws {
        try graph.assignProbabilities.withUnsafeBufferPointer { try out.appendVector($0) }
        try graph.cumulativeNeighborsPerLevel.withUnsafeBufferPointer { try out.appendVector($0) }
        try graph.levels.withUnsafeBufferPointer { try out.appendVector($0) }
        try graph.offsets.withUnsafeBufferPointer { try out.appendVector($0) }
        try graph.neighbors.withUnsafeBufferPointer { try out.appendVector($0) }
        out.append(graph.entryPoint)
        out.append(graph.maxLevel)
        out.append(graph.efConstruction)
        out.append(graph.efSearch)
        out.append(Int32(1))  // upper_beam: deprecated, FAISS writes the constant 1
    }

    private static func validate(
        dimension: Int, vectors: UnsafeBufferPointer<Float>, ids: UnsafeBufferPointer<Int64>,
        graph: HNSWGraphLayout?
    ) throws(FaissWriteError) {
        guard dimension >= 1, dimension <= Int(Int32.max) else {
            throw .invalidDimension(dimension)
        }
        let (expected, overflow) = ids.count.multipliedReportingOverflow(by: dimension)
        guard !overflow, expected == vectors.count else {
            throw .vectorCountMismatch(vectorFloats: vectors.count, ids: ids.count, dimension: dimension)
        }
        var firstIndex = [Int64: Int](minimumCapacity: ids.count)
        for (i, id) in ids.enumerated() {
            if let first = firstIndex.updateValue(i, forKey: id) {
                throw .duplicateID(id, firstIndex: first, secondIndex: i)
            }
        }
        guard let graph else { return }
        guard ids.count <= Int(Int32.max) else {
            throw .tooManyVectorsForHNSW(ids.count)
        }
        do {
            try FaissGraphValidator.validate(graph, nodeCount: ids.count)
        } catch {
            throw .invalidGraph(error.description)
        }
    }
}
