import Foundation
import VectorIndex

/// Writes one checkpoint from a snapshot: every file to a temporary name and flushed, a marker
/// with their fingerprints appended to the log and flushed, the files renamed into place
/// (`ann_metadata.json` last: the commit point) and the directory flushed.
///
/// A crash at any instant leaves each file either from the previous checkpoint or from this one;
/// the marker lets recovery recognise the new ones, and the log still holds every operation since
/// the previous checkpoint (old segments are deleted only after this one is durable), so recovery
/// replays the log over whichever files it finds and gets exactly the acknowledged operations.
struct CheckpointWriter {
    let directory: Directory
    let config: VectorStoreConfig

    /// The temporary files written, with their fingerprints.
    struct Written {
        var fingerprints: [String: FileFingerprint]
    }

    /// Writes the four files to temporary names. On failure the temporary files are removed.
    func writeFiles(_ snapshot: inout CollectionSnapshot) throws -> Written {
        var fingerprints: [String: FileFingerprint] = [:]
        do {
            let payloadBytes = PayloadsFile.encode(ids: snapshot.ids, payloads: snapshot.payloads)
            fingerprints[CheckpointFiles.payloads] = try directory.writeTemporary(CheckpointFiles.payloads) {
                try $0.write(payloadBytes)
            }
            KillPoints.reach("ckpt.files.afterFirst")
            fingerprints[CheckpointFiles.vectors] = try directory.writeTemporary(CheckpointFiles.vectors) { sink in
                try snapshot.vectors.withUnsafeBufferPointer { vectors in
                    try VectorsFile.write(
                        ids: snapshot.ids, vectors: vectors, dimension: snapshot.dimension,
                        checkpointLSN: snapshot.lsn, to: { try sink.write($0) })
                }
            }

            let labels = Self.faissLabels(for: snapshot.ids)
            var metadata = CheckpointMetadata(
                dimension: snapshot.dimension, algorithm: config.annAlgorithm.rawValue,
                vectorCount: snapshot.count, faissAvailable: true, formatVersion: CheckpointMetadata.formatVersion,
                collectionName: config.collectionName, metric: config.distance.rawValue,
                checkpointLSN: snapshot.lsn,
                hnsw: (config.annM, config.annEfConstruction, config.annEfSearch),
                faissLabels: labels.mode)
            let inline = snapshot.vectors.count <= config.metadataVectorLimit

            // FAISS holds cosine collections as normalised vectors with inner product. When the
            // metadata keeps the original vectors inline (small collections) they are normalised in
            // a copy; otherwise in place (nothing needs the originals after ann_vectors.bin).
            var faissVectors = snapshot.vectors
            if snapshot.metric == .cosine {
                if inline {
                    faissVectors = FloatBuffer(count: snapshot.vectors.count)
                    faissVectors.pointer.baseAddress?.update(from: snapshot.vectors.pointer.baseAddress!, count: snapshot.vectors.count)
                }
                Self.normalizeRows(faissVectors.pointer, dimension: snapshot.dimension)
            }
            let faissMetric: FaissMetric = snapshot.metric == .euclidean ? .l2 : .innerProduct
            fingerprints[CheckpointFiles.index] = try directory.writeTemporary(CheckpointFiles.index) { sink in
                try faissVectors.withUnsafeBufferPointer { vectors in
                    try labels.values.withUnsafeBufferPointer { ids in
                        try FaissIndexWriter.write(
                            dimension: snapshot.dimension, metric: faissMetric, vectors: vectors, ids: ids,
                            graph: snapshot.algorithm == .hnsw ? snapshot.graph : nil, to: { try sink.write($0) })
                    }
                }
            }

            // Last, the metadata: it names the other files' fingerprints (before the inline vectors,
            // so an open that does not need those vectors stops reading at them).
            metadata.files = fingerprints
            let bytes = snapshot.vectors.withUnsafeBufferPointer { vectors in
                CheckpointMetadata.encode(
                    metadata, createdAt: Date(), ids: inline ? snapshot.ids : nil, vectors: inline ? vectors : nil)
            }
            fingerprints[CheckpointFiles.metadata] = try directory.writeTemporary(CheckpointFiles.metadata) {
                try $0.write(bytes)
            }
            KillPoints.reach("ckpt.files.afterWrite")
            return Written(fingerprints: fingerprints)
        } catch {
            removeTemporaryFiles()
            throw error
        }
    }

    /// Renames the temporary files into place, `ann_metadata.json` last, then flushes the directory.
    func publish() throws {
        for (i, name) in CheckpointFiles.renameOrder.enumerated() {
            if i == 2 { KillPoints.reach("ckpt.rename.mid") }
            try directory.rename(Directory.temporaryName(for: name), to: name)
        }
        try directory.sync()
        KillPoints.reach("ckpt.metadata.afterRename")
    }

    func removeTemporaryFiles() {
        for name in CheckpointFiles.renameOrder { try? directory.remove(Directory.temporaryName(for: name)) }
    }

    /// FAISS labels: the integer ids themselves when every id is an integer, else row numbers.
    static func faissLabels(for ids: [VectorID]) -> (mode: String, values: [Int64]) {
        var values: [Int64] = []
        values.reserveCapacity(ids.count)
        for id in ids {
            guard case .int(let i) = id else {
                return ("row", (0..<Int64(ids.count)).map { $0 })
            }
            values.append(i)
        }
        return ("id", values)
    }

    static func normalizeRows(_ v: UnsafeMutableBufferPointer<Float>, dimension: Int) {
        var start = 0
        while start < v.count {
            var sum: Float = 0
            for j in start..<(start + dimension) { sum += v[j] * v[j] }
            if sum > 0 {
                let scale = 1 / sum.squareRoot()
                for j in start..<(start + dimension) { v[j] *= scale }
            }
            start += dimension
        }
    }
}

