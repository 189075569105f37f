import Foundation

/// `ann_metadata.json`: the seed's keys (`dimension`, `algorithm`, `vectorCount`,
/// `faissAvailable`, `vectors`) plus ours, with a self-checksum as the last key.
///
/// ```json
/// {"dimension":384,"algorithm":"hnsw","vectorCount":2,"faissAvailable":true,
///  "format":"vectorstorage-checkpoint","formatVersion":1,"collectionName":"docs",
///  "metric":"cosine","checkpointSequence":42,"createdAt":"2026-11-26T10:00:00Z",
///  "hnsw":{"M":16,"efConstruction":200,"efSearch":24},"faissLabels":"id",
///  "files":{"ann_index.faiss":{"bytes":123,"crc32c":"0a1b2c3d"},...},
///  "vectorsInline":true,"vectors":[["doc1",[0.1,0.2]],[7,[0.3,0.4]]],
///  "checksum":"crc32c:5e6f7a8b"}
/// ```
///
/// `checksum` is the CRC32C of every byte before the `"checksum"` key; `files` names the other
/// checkpoint files' sizes and CRC32Cs. `vectors` is written while
/// the collection holds at most ``VectorStoreConfig/metadataVectorLimit`` floats (the seed's own
/// maximum, 10,000 × 1,536, fits); above that it is omitted (`"vectorsInline": false`) and the
/// vectors live only in `ann_vectors.bin`. A file without `format` is read as the seed's.
struct CheckpointMetadata {
    static let formatName = "vectorstorage-checkpoint"
    static let formatVersion = 1

    var dimension: Int
    var algorithm: String
    var vectorCount: Int
    var faissAvailable: Bool
    /// `nil` in the seed's files.
    var formatVersion: Int?
    var collectionName: String?
    var metric: String?
    var checkpointLSN: UInt64 = 0
    var hnsw: (m: Int, efConstruction: Int, efSearch: Int)?
    /// `"id"`: FAISS labels are the integer ids; `"row"`: they are row numbers (string ids).
    var faissLabels: String?
    var files: [String: FileFingerprint] = [:]
    /// The inline vectors, when present: ids and `ids.count × dimension` floats.
    var inlineIDs: [VectorID]?
    var inlineVectors: [Float]?

    /// Whether this file was written by this library (not the seed).
    var isOurs: Bool { formatVersion != nil }
}

extension CheckpointMetadata {
    /// Encodes the file: the seed's keys, ours, the other files' fingerprints, the inline vectors
    /// (when given) and, last, the checksum of every byte before it.
    static func encode(
        _ meta: CheckpointMetadata, createdAt: Date, ids: [VectorID]?, vectors: UnsafeBufferPointer<Float>?
    ) -> [UInt8] {
        var w = JSONWriter(capacity: 1024 + (vectors?.count ?? 0) * 12)
        w.beginObject()
        w.writeKey("dimension")
        w.writeInt64(Int64(meta.dimension))
        w.writeComma()
        w.writeKey("algorithm")
        w.writeString(meta.algorithm)
        w.writeComma()
        w.writeKey("vectorCount")
        w.writeInt64(Int64(meta.vectorCount))
        w.writeComma()
        w.writeKey("faissAvailable")
        w.writeBool(meta.faissAvailable)
        w.writeComma()
        w.writeKey("format")
        w.writeString(formatName)
        w.writeComma()
        w.writeKey("formatVersion")
        w.writeInt64(Int64(formatVersion))
        if let name = meta.collectionName {
            w.writeComma()
            w.writeKey("collectionName")
            w.writeString(name)
        }
        if let metric = meta.metric {
            w.writeComma()
            w.writeKey("metric")
            w.writeString(metric)
        }
        w.writeComma()
        w.writeKey("checkpointSequence")
        w.writeInt64(Int64(bitPattern: meta.checkpointLSN))
        w.writeComma()
        w.writeKey("createdAt")
        w.writeString(ISO8601DateFormatter().string(from: createdAt))
        w.writeComma()
        w.writeKey("writer")
        w.writeString("VectorStorage")
        if let hnsw = meta.hnsw {
            w.writeComma()
            w.writeKey("hnsw")
            w.writeValue(["M": .int(Int64(hnsw.m)), "efConstruction": .int(Int64(hnsw.efConstruction)),
                          "efSearch": .int(Int64(hnsw.efSearch))])
        }
        if let labels = meta.faissLabels {
            w.writeComma()
            w.writeKey("faissLabels")
            w.writeString(labels)
        }
        w.writeComma()
        w.writeKey("files")
        w.beginObject()
        for (i, name) in meta.files.keys.sorted().enumerated() {
            if i > 0 { w.writeComma() }
            let f = meta.files[name]!
            w.writeKey(name)
            w.writeValue(["bytes": .int(Int64(bitPattern: f.size)), "crc32c": .string(hex(f.crc32c))])
        }
        w.endObject()
        w.writeComma()
        w.writeKey("vectorsInline")
        w.writeBool(vectors != nil)
        if let ids, let vectors {
            w.writeComma()
            w.writeKey("vectors")
            w.beginArray()
            for (row, id) in ids.enumerated() {
                if row > 0 { w.writeComma() }
                w.beginArray()
                w.writeID(id)
                w.writeComma()
                w.writeFloats(UnsafeBufferPointer(rebasing: vectors[(row * meta.dimension)..<((row + 1) * meta.dimension)]))
                w.endArray()
            }
            w.endArray()
        }
        w.writeComma()
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        w.writeKey("checksum")
        w.writeString("crc32c:" + hex(crc))
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
