import Foundation
import VectorIndex

/// Saves and loads an HNSW graph layout so repeated benchmark runs can skip the build
/// (`--graph-cache <file>`). A plain little-endian dump of ``HNSWGraphLayout``; for tuning only.
enum BenchGraphCache {
    static func save(_ layout: HNSWGraphLayout, to path: String) throws {
        var data = Data()
        func put<T>(_ values: [T]) {
            var count = UInt64(values.count)
            data.append(Data(bytes: &count, count: 8))
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        put(layout.assignProbabilities)
        put(layout.cumulativeNeighborsPerLevel)
        put(layout.levels)
        put(layout.offsets)
        put(layout.neighbors)
        put([layout.entryPoint, layout.maxLevel, layout.efConstruction, layout.efSearch])
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func load(from path: String) throws -> HNSWGraphLayout {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        func get<T>(_: T.Type) throws -> [T] {
            guard offset + 8 <= data.count else { throw BenchError("\(path): truncated graph cache") }
            let count = Int(data[offset ..< offset + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            offset += 8
            let bytes = count * MemoryLayout<T>.stride
            guard count >= 0, offset + bytes <= data.count else { throw BenchError("\(path): truncated graph cache") }
            let values = data[offset ..< offset + bytes].withUnsafeBytes { raw in
                (0 ..< count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
            }
            offset += bytes
            return values
        }
        let probabilities = try get(Double.self)
        let cumulative = try get(Int32.self)
        let levels = try get(Int32.self)
        let offsets = try get(UInt64.self)
        let neighbors = try get(Int32.self)
        let tail = try get(Int32.self)
        guard tail.count == 4 else { throw BenchError("\(path): bad graph cache") }
        return HNSWGraphLayout(assignProbabilities: probabilities, cumulativeNeighborsPerLevel: cumulative, levels: levels,
                               offsets: offsets, neighbors: neighbors, entryPoint: tail[0], maxLevel: tail[1],
                               efConstruction: tail[2], efSearch: tail[3])
    }
}
