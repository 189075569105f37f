import Foundation
import VectorStorage

/// A collection directory in the seed system's shape: `ann_metadata.json` with the vectors inline
/// (`"vectors": [[id, [floats]], ...]`), `payloads.json` (`[[id, {payload}], ...]`) and
/// `ann_index.faiss` (the seed's `FAISS_NOT_AVAILABLE` placeholder). Read through
/// ``ReadOnlyCollection`` (so any VectorStorage directory imports too, and the source directory is
/// never written to); written as the seed writes it.
enum SeedDirectoryFormat {
    static func read(_ path: String) async throws -> ImportedRows {
        let collection = try await ReadOnlyCollection.open(path: path)
        for warning in collection.warnings { notice("warning: \(path): \(warning)") }
        let records = collection.records(offset: 0, limit: collection.count)
        let name = path
        return ImportedRows(records: records, hasIDs: true, label: { [records] in "vector \(records[$0].id.debugDescription) of \(name)" })
    }

    /// Writes the three files into `path` (created if missing; must not hold a collection).
    static func write(_ records: [VectorRecord], dimension: Int, algorithm: String, to path: String) throws {
        let manager = FileManager.default
        try? manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        if manager.fileExists(atPath: path + "/ann_metadata.json") {
            throw ToolError("\(path) already holds a collection (ann_metadata.json); export into an empty directory")
        }
        var meta = "{\n  \"dimension\": \(dimension),\n  \"algorithm\": \(JSONValue.string(algorithm).jsonString),\n"
        meta += "  \"vectorCount\": \(records.count),\n  \"faissAvailable\": false,\n  \"vectors\": ["
        var payloads = "["
        for (i, record) in records.enumerated() {
            let id = JSONValue.id(record.id).jsonString
            meta += (i == 0 ? "\n    " : ",\n    ") + "[\(id), [" + record.vector.map { "\($0)" }.joined(separator: ", ") + "]]"
            payloads += (i == 0 ? "\n  " : ",\n  ") + "[\(id), \(JSONValue.object(record.payload).jsonString)]"
        }
        meta += records.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        payloads += records.isEmpty ? "]\n" : "\n]\n"
        for (name, text) in [("payloads.json", payloads), ("ann_index.faiss", "FAISS_NOT_AVAILABLE"), ("ann_metadata.json", meta)] {
            let file = try OutputFile(path + "/" + name)
            try file.write(text)
            try file.commit()
        }
    }
}
