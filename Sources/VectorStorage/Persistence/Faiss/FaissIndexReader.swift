import VectorIndex

/// Reads the FAISS index files this package writes and the same index types written by FAISS
/// itself (`faiss.write_index`): an `IndexIDMap2` (`IxM2`) over an `IndexFlatIP` / `IndexFlatL2`
/// (`IxFI` / `IxF2`), or over an `IndexHNSWFlat` (`IHNf`) whose storage is one of those. See
/// ``FaissIndexWriter`` for the byte layout.
///
/// The file is untrusted: every count is checked against the bytes that remain before anything is
/// allocated, every value that is later used as an index is range-checked, nested headers must
/// agree, and the index must end exactly at the end of the file. Nothing traps, loops beyond the
/// input, or allocates more than the input size justifies.
package enum FaissIndexReader {
    /// Parses a whole FAISS index file.
    ///
    /// - Parameter includeVectors: `false` checks the vectors' place and size but does not copy
    ///   them (`vectors` is then empty): for a caller that holds the vectors already and wants the
    ///   graph and ids.
    /// - Throws: ``FaissFormatError`` with the byte offset and field at fault when the file is
    ///   truncated, damaged, inconsistent, or holds an index type other than the supported ones.
    package static func read(
        _ bytes: UnsafeRawBufferPointer, includeVectors: Bool = true
    ) throws(FaissFormatError) -> FaissIndexContents {
        var reader = FaissByteReader(bytes)
        _ = try reader.readTag("index type", expected: [.idMap2])
        let (map, mapOffsets) = try FaissIndexHeader.read(from: &reader, owner: "IndexIDMap2")
        try checkPlausibleCount(map, at: mapOffsets.count, remaining: reader.remaining)

        let innerTag = try reader.readTag(
            "IndexIDMap2.index type", expected: [.hnswFlat, .flatInnerProduct, .flatL2])
        var vectors: [Float]
        var graph: HNSWGraphLayout?
        if innerTag == .hnswFlat {
            let (hnsw, hnswOffsets) = try FaissIndexHeader.read(from: &reader, owner: "IndexHNSWFlat")
            try checkSame(hnsw, hnswOffsets, as: map, owner: "IndexHNSWFlat")
            guard hnsw.count <= Int(Int32.max) else {
                throw FaissFormatError(
                    offset: hnswOffsets.count, field: "IndexHNSWFlat.ntotal",
                    problem: .invalidValue("\(hnsw.count) nodes do not fit FAISS's 32-bit node numbers"))
            }
            graph = try FaissHNSWGraphReader.read(from: &reader, nodeCount: hnsw.count)
            let storageTag = try reader.readTag("IndexHNSWFlat.storage type", expected: [map.metric.flatTag])
            vectors = try readFlat(
                from: &reader, tag: storageTag, expected: map, owner: "IndexHNSWFlat.storage", copy: includeVectors)
        } else {
            guard innerTag == map.metric.flatTag else {
                throw FaissFormatError(
                    offset: reader.offset - 4, field: "IndexIDMap2.index type",
                    problem: .unexpectedTag(found: innerTag.description, expected: [map.metric.flatTag.description]))
            }
            vectors = try readFlat(from: &reader, tag: innerTag, expected: map, owner: "IndexFlat", copy: includeVectors)
        }
        let ids = try readIDs(from: &reader, count: map.count)
        guard reader.remaining == 0 else {
            throw FaissFormatError(
                offset: reader.offset, field: "end of index", problem: .trailingBytes(count: reader.remaining))
        }
        return FaissIndexContents(
            dimension: map.dimension, metric: map.metric, count: map.count, vectors: vectors, ids: ids, graph: graph)
    }

    /// Parses a whole FAISS index file held in an array.
    ///
    /// - Throws: ``FaissFormatError``, as the `UnsafeRawBufferPointer` overload.
    package static func read(_ bytes: [UInt8]) throws(FaissFormatError) -> FaissIndexContents {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(FaissFormatError) in try read(raw) }
        }
        return try result.get()
    }

    /// A lying `ntotal` is caught at the header: `count` vectors and ids need at least
    /// `count × (4 × d + 8)` more bytes.
    private static func checkPlausibleCount(
        _ header: FaissIndexHeader, at offset: Int, remaining: Int
    ) throws(FaissFormatError) {
        let (rowBytes, o1) = header.dimension.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        let (perVector, o2) = rowBytes.addingReportingOverflow(MemoryLayout<Int64>.size)
        let (needed, o3) = header.count.multipliedReportingOverflow(by: perVector)
        guard !(o1 || o2 || o3), needed <= remaining else {
            throw FaissFormatError(
                offset: offset, field: "IndexIDMap2.ntotal",
                problem: .invalidValue(
                    "\(header.count) vectors of dimension \(header.dimension) cannot fit in the \(remaining) bytes left"))
        }
    }

    /// A nested index must have the id map's dimension, count and metric.
    private static func checkSame(
        _ inner: FaissIndexHeader, _ offsets: FaissIndexHeader.Offsets, as outer: FaissIndexHeader, owner: String
    ) throws(FaissFormatError) {
        if inner.dimension != outer.dimension {
            throw FaissFormatError(
                offset: offsets.dimension, field: owner + ".d",
                problem: .invalidValue("dimension \(inner.dimension) differs from the id map's \(outer.dimension)"))
        }
        if inner.count != outer.count {
            throw FaissFormatError(
                offset: offsets.count, field: owner + ".ntotal",
                problem: .invalidValue("count \(inner.count) differs from the id map's \(outer.count)"))
        }
        if inner.metric != outer.metric {
            throw FaissFormatError(
                offset: offsets.metric, field: owner + ".metric_type",
                problem: .invalidValue("metric \(inner.metric.rawValue) differs from the id map's \(outer.metric.rawValue)"))
        }
    }

    /// An `IndexFlat` after its tag: header, then `codes` written as `ntotal × d` 4-byte words.
    private static func readFlat(
        from reader: inout FaissByteReader, tag: FaissFourCC, expected: FaissIndexHeader, owner: String, copy: Bool
    ) throws(FaissFormatError) -> [Float] {
        let (flat, offsets) = try FaissIndexHeader.read(from: &reader, owner: owner)
        try checkSame(flat, offsets, as: expected, owner: owner)
        let countOffset = reader.offset
        let (count, _) = try reader.readCount(owner + ".codes", elementSize: MemoryLayout<Float>.size)
        let (floats, overflow) = flat.count.multipliedReportingOverflow(by: flat.dimension)
        guard !overflow, count == floats else {
            throw FaissFormatError(
                offset: countOffset, field: owner + ".codes.count",
                problem: .invalidValue("\(count) floats for \(flat.count) vectors of dimension \(flat.dimension)"))
        }
        guard copy else {
            try reader.skip(count * MemoryLayout<Float>.size, owner + ".codes")
            return []
        }
        return try reader.readArray(of: Float.self, count: count, owner + ".codes")
    }

    /// `IndexIDMap2::id_map`: exactly `count` ids, all different.
    private static func readIDs(from reader: inout FaissByteReader, count: Int) throws(FaissFormatError) -> [Int64] {
        let countOffset = reader.offset
        let (stored, dataOffset) = try reader.readCount("IndexIDMap2.id_map", elementSize: MemoryLayout<Int64>.size)
        guard stored == count else {
            throw FaissFormatError(
                offset: countOffset, field: "IndexIDMap2.id_map.count",
                problem: .invalidValue("\(stored) ids for \(count) vectors"))
        }
        let ids = try reader.readArray(of: Int64.self, count: count, "IndexIDMap2.id_map")
        var firstIndex = [Int64: Int](minimumCapacity: count)
        for (i, id) in ids.enumerated() {
            if let first = firstIndex.updateValue(i, forKey: id) {
                throw FaissFormatError(
                    offset: dataOffset + 8 * i, field: "IndexIDMap2.id_map[\(i)]",
                    problem: .invalidValue("id \(id) repeats id_map[\(first)]"))
            }
        }
        return ids
    }
}
