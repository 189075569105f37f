import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore export DIR OUTPUT`: writes every vector of a collection to a file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every vector (oldest first) as JSON Lines, .npy, .fvecs, .f32, CSV or a seed directory (read-only, no lock taken).",
        discussion: """
            The format follows the output's extension (.jsonl .npy .fvecs .f32 .csv; a path without \
            an extension: a seed directory) unless --format names it. JSON Lines, CSV and the seed \
            directory hold ids and payloads; for .npy (float32, C order), .fvecs and .f32 the ids \
            go to OUTPUT-stem.ids.json and the payloads to OUTPUT-stem.payloads.jsonl (or --ids, \
            --payloads), the files `import --ids --payloads` reads. Floats are written exactly: an \
            import of the export gives back the same bits. '-' writes JSON Lines or CSV to standard \
            output. The collection is read as its files are on disk (see `search`), also while \
            another process has it open.

            Examples:
              vectorstore export ./data/vector-storage all.jsonl
              vectorstore export ./data/vector-storage vectors.npy        # + vectors.ids.json, vectors.payloads.jsonl
              vectorstore export ./data/vector-storage - --format csv | head
              vectorstore export ./data/vector-storage ./seed-copy --format seed
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @Argument(help: "The file (or directory, for seed) to write; '-' for standard output.")
    var destination: String

    @Option(help: "The output's format: jsonl, npy, fvecs, f32, csv, seed (default: from the extension).")
    var format: EmbeddingFormat?

    @Option(help: "Where to write the ids of a format without ids (default: OUTPUT-stem.ids.json).")
    var ids: String?

    @Option(help: "Where to write the payloads of a format without payloads (default: OUTPUT-stem.payloads.jsonl).")
    var payloads: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let format = try resolvedFormat()
        if destination == "-" && !(format == .jsonl || format == .csv) {
            throw UsageError("only jsonl and csv can be written to standard output")
        }
        if destination == "-" && output.json { throw UsageError("--json needs a file to export to, not standard output") }
        let collection = try await ReadOnlyCollection.open(path: path)
        reportReadOnlyOpen(collection, quiet: output.quiet || output.json)
        let total = collection.count
        let progress = ProgressReporter("exporting", total: total, quiet: output.quiet)
        let chunk = 4096
        var written: [String] = []
        if format == .seed {
            let records = collection.records(offset: 0, limit: total)
            try SeedDirectoryFormat.write(
                records, dimension: collection.config.dimension, algorithm: collection.config.annAlgorithm.rawValue, to: destination)
            written = ["payloads.json", "ann_index.faiss", "ann_metadata.json"].map { destination + "/" + $0 }
        } else {
            let file = try OutputFile(destination)
            do {
                var all: [VectorRecord] = []
                let keepAll = !format.carriesIDs
                var offset = 0
                if format == .csv { try file.write("id,vector,payload\n") }
                while offset < total {
                    let records = collection.records(offset: offset, limit: chunk)
                    switch format {
                    case .jsonl: try JSONLinesFormat.write(records, to: file)
                    case .csv: try CSVFormat.write(records, header: false, to: file)
                    case .fvecs: try VecsFormat.writeFloats(Self.matrix(records, collection.config.dimension), to: file)
                    case .f32: try RawFloatFormat.write(Self.matrix(records, collection.config.dimension), to: file)
                    case .npy: break  // written whole below: its header needs the row count
                    case .bvecs, .seed: break
                    }
                    if keepAll { all += records }
                    offset += records.count
                    progress.update(offset)
                }
                if format == .npy { try NumPyFormat.write(Self.matrix(all, collection.config.dimension), to: file) }
                try file.commit()
                written.append(destination)
                if keepAll {
                    let idsPath = ids ?? SiblingFiles.defaultPath(beside: destination, suffix: ".ids.json")
                    let payloadsPath = payloads ?? SiblingFiles.defaultPath(beside: destination, suffix: ".payloads.jsonl")
                    try SiblingFiles.writeIDs(all, to: idsPath)
                    try SiblingFiles.writePayloads(all, to: payloadsPath)
                    written += [idsPath, payloadsPath]
                }
            } catch {
                file.discard()
                throw error
            }
        }
        progress.finish()
        guard destination != "-" else { return }
        output.emit(
            .object([
                "path": .string(path), "format": .string(format.rawValue), "exported": .count(total),
                "dimension": .count(collection.config.dimension), "files": .array(written.map(JSONValue.string)),
                "directoryInUse": .bool(collection.directoryInUse), "sequence": .int(Int64(collection.sequence)),
            ]),
            human: { "exported \(total) vectors of dimension \(collection.config.dimension) to \(written.joined(separator: ", "))" })
    }

    func resolvedFormat() throws -> EmbeddingFormat {
        if let format {
            if format == .bvecs { throw UsageError("bvecs holds bytes, not floats: it can be imported, not exported") }
            return format
        }
        if destination == "-" { return .jsonl }
        if (destination as NSString).pathExtension.isEmpty { return .seed }
        guard let inferred = EmbeddingFormat.infer(from: destination), inferred != .bvecs else {
            throw UsageError("cannot tell the format of \(destination) from its extension; name it with --format")
        }
        return inferred
    }

    static func matrix(_ records: [VectorRecord], _ dimension: Int) -> FloatMatrix {
        var values: [Float] = []
        values.reserveCapacity(records.count * dimension)
        for record in records { values += record.vector }
        return FloatMatrix(rows: records.count, dimension: dimension, values: values)
    }
}
