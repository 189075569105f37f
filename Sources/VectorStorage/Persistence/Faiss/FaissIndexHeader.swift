/// The fields every FAISS index starts with (`write_index_header` in FAISS's
/// `impl/index_write.cpp`), right after its class tag:
///
/// | bytes | field | value written here |
/// |---|---|---|
/// | 4 | `d` (int32) | the dimension |
/// | 8 | `ntotal` (int64) | the vector count |
/// | 8 | dummy (int64) | `1 << 20`, what FAISS always writes (once a `max_codes` field) |
/// | 8 | dummy (int64) | `1 << 20`, likewise |
/// | 1 | `is_trained` (bool) | 1: flat, HNSW-flat and id-map indexes are always trained |
/// | 4 | `metric_type` (int32) | 0 inner product, 1 L2 |
///
/// A `metric_arg` float follows only for metrics above 1, which this codec does not support.
struct FaissIndexHeader: Hashable {
    var dimension: Int
    var count: Int
    var metric: FaissMetric

    /// The placeholder FAISS writes in the two unused 64-bit header fields.
    static let dummyValue: Int64 = 1 << 20
    /// Bytes of a header for metrics 0 and 1.
    static let byteCount = 4 + 8 + 8 + 8 + 1 + 4

    /// Offsets of the fields of a header read from a file, for error reports.
    struct Offsets {
        var dimension = 0
        var count = 0
        var metric = 0
    }

    func write(to sink: inout FaissByteSink) {
        sink.append(Int32(dimension))
        sink.append(Int64(count))
        sink.append(Self.dummyValue)
        sink.append(Self.dummyValue)
        sink.append(UInt8(1))
        sink.append(metric.rawValue)
    }

    /// Reads and checks a header: `d ≥ 1`, `ntotal ≥ 0`, the two placeholders, `is_trained`, and a
    /// supported metric. `owner` names the index in error reports (e.g. `IndexIDMap2`).
    static func read(
        from reader: inout FaissByteReader, owner: String
    ) throws(FaissFormatError) -> (header: FaissIndexHeader, offsets: Offsets) {
        var offsets = Offsets()
        func invalid(_ at: Int, _ field: String, _ why: String) -> FaissFormatError {
            FaissFormatError(offset: at, field: owner + "." + field, problem: .invalidValue(why))
        }

        offsets.dimension = reader.offset
        let dimension = try reader.read(Int32.self, owner + ".d")
        guard dimension >= 1 else {
            throw invalid(offsets.dimension, "d", "dimension \(dimension) is not at least 1")
        }
        offsets.count = reader.offset
        let count = try reader.read(Int64.self, owner + ".ntotal")
        guard count >= 0, let checkedCount = Int(exactly: count) else {
            throw invalid(offsets.count, "ntotal", "vector count \(count) is negative or too large")
        }
        for name in ["dummy1", "dummy2"] {
            let at = reader.offset
            let dummy = try reader.read(Int64.self, owner + "." + name)
            guard dummy == dummyValue else {
                throw invalid(at, name, "placeholder \(dummy) is not \(dummyValue), the value FAISS writes")
            }
        }
        let trainedOffset = reader.offset
        let trained = try reader.read(UInt8.self, owner + ".is_trained")
        guard trained == 1 else {
            throw invalid(trainedOffset, "is_trained", "\(trained) is not 1 (flat and HNSW-flat indexes are always trained)")
        }
        offsets.metric = reader.offset
        let rawMetric = try reader.read(Int32.self, owner + ".metric_type")
        guard let metric = FaissMetric(rawValue: rawMetric) else {
            throw invalid(offsets.metric, "metric_type", "metric \(rawMetric) is not 0 (inner product) or 1 (L2)")
        }
        return (FaissIndexHeader(dimension: Int(dimension), count: checkedCount, metric: metric), offsets)
    }
}
