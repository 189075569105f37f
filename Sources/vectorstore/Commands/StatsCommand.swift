import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore stats DIR`: what a collection holds and what it costs.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe a collection: size, configuration, memory and disk use, log, payload fields (read-only, no lock taken).",
        discussion: """
            Reads the collection as its files are on disk (see `search`), also while another process \
            has it open. Memory is what the index holds once loaded (vectors, graph) plus the \
            payloads' size as compact JSON (an estimate of their in-memory size). Payload fields are \
            listed by dotted path (nested objects' members too), with how many vectors have each and \
            the kinds of value they hold.

            Examples:
              vectorstore stats ./data/vector-storage
              vectorstore stats ./data/vector-storage --json | jq .payloadFields
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @OptionGroup var output: OutputOptions

    /// One payload field: how many vectors have it, and with what kinds of value.
    struct Field {
        var count = 0
        var kinds: [String: Int] = [:]
        // Per-field payload indexes are being added on a parallel branch; when they land, the
        // index a field has (kind, size) is reported here, in `json` and in the text table.
    }

    func run() async throws {
        let collection = try await ReadOnlyCollection.open(path: path)
        reportReadOnlyOpen(collection, quiet: output.quiet || output.json)
        let config = collection.config
        let index = collection.indexStatistics
        var fields: [String: Field] = [:]
        var payloadBytes = 0
        var offset = 0
        while offset < collection.count {
            let page = try collection.list(filter: nil, limit: 4096, offset: offset).results
            for result in page {
                payloadBytes += JSONValue.object(result.payload).jsonBytes.count
                Self.collect(result.payload, prefix: "", into: &fields)
            }
            offset += page.count
            if page.isEmpty { break }
        }
        let files = DiskUsage.files(path)
        let disk = files.reduce(0) { $0 + $1.bytes }
        let logBytes = DiskUsage.log(path)
        let segments = files.filter { $0.name.hasPrefix("wal-") && $0.name.hasSuffix(".log") }.count
        let metadataDate = (try? FileManager.default.attributesOfItem(atPath: path + "/ann_metadata.json"))?[.modificationDate] as? Date
        let hnsw = config.annAlgorithm == .hnsw
        let sortedFields = fields.sorted { $0.key < $1.key }

        var json: [String: JSONValue] = [
            "path": .string(path), "collection": .string(config.collectionName), "vectors": .count(collection.count),
            "dimension": .count(config.dimension), "metric": .string(config.distance.rawValue),
            "algorithm": .string(config.annAlgorithm.rawValue),
            "parameters": hnsw
                ? ["M": .count(config.annM), "efConstruction": .count(config.annEfConstruction), "efSearch": .count(config.annEfSearch)]
                : [:],
            "memory": [
                "indexBytes": .count(index.memoryBytes), "payloadBytes": .count(payloadBytes),
                "totalBytes": .count(index.memoryBytes + payloadBytes), "slots": .count(index.slots),
                "tombstones": .count(index.tombstones),
            ],
            "disk": [
                "totalBytes": .count(disk),
                "files": .array(files.map { ["name": .string($0.name), "bytes": .count($0.bytes)] }),
            ],
            "log": [
                "bytes": .count(logBytes), "segments": .count(segments),
                "recordsAfterCheckpoint": .count(Int(collection.sequence - min(collection.sequence, collection.checkpointSequence))),
                "lastSequence": .int(Int64(collection.sequence)),
            ],
            "lastCheckpoint": [
                "sequence": .int(Int64(collection.checkpointSequence)),
                "time": metadataDate.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null,
            ],
            "payloadFields": .array(sortedFields.map { name, field in
                [
                    "name": .string(name), "count": .count(field.count),
                    "kinds": .object(field.kinds.mapValues { .count($0) }),
                    // Filled in by the payload-index branch (the field's index, if it has one).
                    "index": .null,
                ]
            }),
            "directoryInUse": .bool(collection.directoryInUse),
            "warnings": .array(collection.warnings.map(JSONValue.string)),
        ]
        if !collection.pendingRepairs.isEmpty { json["pendingRepairs"] = .array(collection.pendingRepairs.map(JSONValue.string)) }

        output.emit(.object(json)) {
            var lines = ["Collection \(config.collectionName) in \(path)\(collection.directoryInUse ? " (in use by another store; read from disk)" : "")"]
            lines.append("  vectors        \(collection.count) of dimension \(config.dimension), metric \(config.distance.rawValue)")
            lines.append("  algorithm      \(config.annAlgorithm.rawValue)"
                + (hnsw ? " (M \(config.annM), efConstruction \(config.annEfConstruction), efSearch \(config.annEfSearch))" : ""))
            lines.append("  memory         \(DiskUsage.human(index.memoryBytes + payloadBytes)) (index \(DiskUsage.human(index.memoryBytes)), "
                + "payloads ~\(DiskUsage.human(payloadBytes)); \(index.slots) slots, \(index.tombstones) deleted in the graph)")
            lines.append("  disk           \(DiskUsage.human(disk)) in \(files.count) files")
            lines.append("  log            \(DiskUsage.human(logBytes)) in \(segments) segment\(segments == 1 ? "" : "s"), "
                + "last sequence \(collection.sequence)")
            lines.append("  checkpoint     sequence \(collection.checkpointSequence)"
                + (metadataDate.map { ", written \(ISO8601DateFormatter().string(from: $0))" } ?? ", none written yet"))
            lines.append("  files:")
            for file in files { lines.append("    \(file.name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(DiskUsage.human(file.bytes))") }
            if sortedFields.isEmpty {
                lines.append("  payload fields: none")
            } else {
                lines.append("  payload fields:")
                let rows = sortedFields.map { name, field in
                    ["    " + name, String(field.count),
                     field.kinds.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
                }
                lines.append(table(["    field", "vectors", "kinds"], rows))
            }
            for repair in collection.pendingRepairs { lines.append("  pending repair: \(repair)") }
            return lines.joined(separator: "\n")
        }
    }

    /// Counts the members of an object by dotted path, descending into nested objects.
    static func collect(_ object: [String: JSONValue], prefix: String, into fields: inout [String: Field]) {
        for (key, value) in object {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            fields[name, default: Field()].count += 1
            fields[name]!.kinds[kind(value), default: 0] += 1
            if case .object(let nested) = value { collect(nested, prefix: name, into: &fields) }
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
