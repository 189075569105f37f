import ArgumentParser
import Foundation
import VectorStorage

/// `--json` and `--quiet`, shared by every collection command.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on standard output instead of text (for scripts).")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress display on standard error.")
    var quiet = false

    /// Prints `value` (with `--json`) or the text `human()` builds.
    func emit(_ value: @autoclosure () -> JSONValue, human: () -> String) {
        if json {
            print(value().jsonString)
        } else {
            print(human())
        }
    }
}

/// Writes a notice to standard error (never mixed into `--json` output).
func notice(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension JSONValue {
    /// A float as the shortest decimal that reads back to the same `Float` (`0.1`, not
    /// `0.10000000149011612`).
    static func float(_ value: Float) -> JSONValue { .double(Double("\(value)") ?? Double(value)) }

    /// A count or size.
    static func count(_ value: Int) -> JSONValue { .int(Int64(value)) }

    /// An id as JSON: a string id as a string, an integer id as a number.
    static func id(_ id: VectorID) -> JSONValue {
        switch id {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        }
    }
}

/// Opens a collection directory for writing, with the configuration it records.
enum WritableCollection {
    /// The directory's recorded configuration; for a directory without a collection, a new one
    /// of `newDimension` (etc.). Writing commands fail their checkpoint loudly (`strictPersistence`).
    static func config(
        path: String, newDimension: Int? = nil, collection: String? = nil, metric: DistanceMetric? = nil,
        algorithm: ANNAlgorithm? = nil
    ) throws -> VectorStoreConfig {
        var config: VectorStoreConfig
        if let recorded = VectorStoreConfig.recorded(in: path) {
            config = recorded
        } else {
            guard let newDimension else { throw ToolError("\(path) holds no collection; nothing to open") }
            config = VectorStoreConfig(
                collectionName: collection ?? "default", dimension: newDimension, maxVectors: Int(Int32.max),
                annIndexPath: path, annAlgorithm: algorithm ?? .hnsw, distance: metric ?? .cosine)
        }
        config.strictPersistence = true
        return config
    }

    /// Opens (locks) the collection.
    static func open(_ config: VectorStoreConfig) async throws -> InMemoryVectorStore {
        let store = try InMemoryVectorStore(config: config)
        try await store.connect()
        return store
    }
}

/// Sizes of the entries of a directory.
enum DiskUsage {
    /// `(name, bytes)` of every regular file, sorted by name.
    static func files(_ path: String) -> [(name: String, bytes: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().compactMap { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else { return nil }
            return (name, (attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    static func total(_ path: String) -> Int { files(path).reduce(0) { $0 + $1.bytes } }

    /// Bytes of the write-ahead log segments.
    static func log(_ path: String) -> Int {
        files(path).filter { $0.name.hasPrefix("wal-") && $0.name.hasSuffix(".log") }.reduce(0) { $0 + $1.bytes }
    }

    /// `1.2 MB`.
    static func human(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}

/// Renders rows as aligned columns.
func table(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
        for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func render(_ row: [String]) -> String {
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
    return ([render(header)] + rows.map(render)).joined(separator: "\n")
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
