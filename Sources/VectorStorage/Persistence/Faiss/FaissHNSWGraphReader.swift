import VectorIndex

/// Reads FAISS's `HNSW` struct (`read_HNSW`) into an ``HNSWGraphLayout`` and validates it with
/// ``FaissGraphValidator``, reporting a defect at the byte offset of the element at fault.
enum FaissHNSWGraphReader {
    static func read(from reader: inout FaissByteReader, nodeCount: Int) throws(FaissFormatError) -> HNSWGraphLayout {
        var dataOffsets: [FaissGraphDefect.Field: (offset: Int, elementSize: Int)] = [:]
        let prefix = "IndexHNSWFlat.hnsw."

        func vector<T: BitwiseCopyable>(
            _ field: FaissGraphDefect.Field, _: T.Type, expectedCount: Int? = nil
        ) throws(FaissFormatError) -> [T] {
            let name = prefix + field.rawValue
            let countOffset = reader.offset
            let (count, dataOffset) = try reader.readCount(name, elementSize: MemoryLayout<T>.size)
            if let expectedCount, count != expectedCount {
                throw FaissFormatError(
                    offset: countOffset, field: name + ".count",
                    problem: .invalidValue("\(count) entries for \(nodeCount) nodes (expected \(expectedCount))"))
            }
            dataOffsets[field] = (dataOffset, MemoryLayout<T>.size)
            return try reader.readArray(of: T.self, count: count, name)
        }
        func scalar(_ field: FaissGraphDefect.Field) throws(FaissFormatError) -> Int32 {
            dataOffsets[field] = (reader.offset, 4)
            return try reader.read(Int32.self, prefix + field.rawValue)
        }

        let probabilities = try vector(.assignProbabilities, Double.self)
        let cumulative = try vector(.cumulativeNeighborsPerLevel, Int32.self)
        let levels = try vector(.levels, Int32.self, expectedCount: nodeCount)
        let offsets = try vector(.offsets, UInt64.self, expectedCount: nodeCount + 1)
        let neighbors = try vector(.neighbors, Int32.self)
        let entryPoint = try scalar(.entryPoint)
        let maxLevel = try scalar(.maxLevel)
        let efConstruction = try scalar(.efConstruction)
        let efSearch = try scalar(.efSearch)
        let upperBeamOffset = reader.offset
        let upperBeam = try reader.read(Int32.self, prefix + "upper_beam")
        guard upperBeam == 1 else {
            throw FaissFormatError(
                offset: upperBeamOffset, field: prefix + "upper_beam",
                problem: .invalidValue("\(upperBeam) is not 1, the value FAISS writes for this deprecated field"))
        }

        let graph = HNSWGraphLayout(
            assignProbabilities: probabilities, cumulativeNeighborsPerLevel: cumulative, levels: levels,
            offsets: offsets, neighbors: neighbors, entryPoint: entryPoint, maxLevel: maxLevel,
            efConstruction: efConstruction, efSearch: efSearch)
        do {
            try FaissGraphValidator.validate(graph, nodeCount: nodeCount)
        } catch {
            let (start, size) = dataOffsets[error.field] ?? (reader.offset, 0)
            // A defect of a whole vector points at its count, 8 bytes before its first element.
            let offset = error.index.map { start + $0 * size } ?? (size > 0 && isVector(error.field) ? start - 8 : start)
            throw FaissFormatError(
                offset: offset, field: prefix + error.field.rawValue + (error.index.map { "[\($0)]" } ?? ""),
                problem: .invalidValue(error.reason))
        }
        return graph
    }

    private static func isVector(_ field: FaissGraphDefect.Field) -> Bool {
        switch field {
        case .assignProbabilities, .cumulativeNeighborsPerLevel, .levels, .offsets, .neighbors: true
        case .entryPoint, .maxLevel, .efConstruction, .efSearch: false
        }
    }
}
