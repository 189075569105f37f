import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore import DIR INPUT`: upserts vectors from a file into a collection.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Upsert vectors from a JSON Lines, .npy, .fvecs/.bvecs, .f32, CSV file or a seed directory.",
        discussion: """
            The format follows the input's extension (.jsonl .npy .fvecs .bvecs .f32/.bin .csv, a \
            directory: the seed's files) unless --format names it. A new collection takes its \
            dimension from the data (--dimension for raw .f32), its name from --collection, its \
            metric from --metric and its algorithm from --algorithm; an existing one keeps its own \
            and the data must match its dimension.

            Formats without ids or payloads (.npy, .fvecs, .bvecs, .f32) take them from --ids \
            (ids.json: ["doc1", 42]; ids.txt: one per line) and --payloads (JSON Lines, one object \
            per row); without --ids, rows get the integer ids 0, 1, 2, ... CSV: see --vector-column.

            The whole input is read and checked first (dimension, finite numbers, valid and unique \
            ids, valid payloads): an error names the line, row or column at fault and nothing is \
            written. Then the rows are upserted in batches (an existing id is replaced), each \
            durable before the next, and a checkpoint is written. Needs the directory's lock \
            (exit status 3 when another process holds it).

            Examples:
              vectorstore import ./data/docs docs.jsonl
              vectorstore import ./data/sift sift_base.fvecs --collection sift --metric euclidean
              vectorstore import ./data/emb embeddings.npy --ids ids.json --payloads payloads.jsonl
              vectorstore import ./data/emb table.csv --vector-column embedding --id-column doc_id
              vectorstore import ./data/new ./old-seed-data/vector-storage
            """)

    @Argument(help: "The collection directory (created when missing).")
    var path: String

    @Argument(help: "The file (or seed directory) to read.")
    var input: String

    @Option(help: "The input's format: \(EmbeddingFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the extension).")
    var format: EmbeddingFormat?

    @Option(help: "A file of ids, one per row: .json (an array) or text (one per line).")
    var ids: String?

    @Option(help: "A JSON Lines file of payloads, one object per row.")
    var payloads: String?

    @Option(help: "The dimension: required for raw .f32 input; checked against the data otherwise.")
    var dimension: Int?

    @Option(help: "A new collection's name (default: \"default\").")
    var collection: String?

    @Option(help: "A new collection's metric: cosine, dot or euclidean (default: cosine).")
    var metric: String?

    @Option(help: "A new collection's algorithm: hnsw, flat or brute-force (default: hnsw).")
    var algorithm: String?

    @Option(name: .customLong("vector-column"), help: "CSV: the column holding the vectors (default: vector, else embedding).")
    var vectorColumn: String?

    @Option(name: .customLong("id-column"), help: "CSV: the column holding the ids (default: id, when present).")
    var idColumn: String?

    @Option(name: .customLong("payload-column"), help: "CSV: a column holding JSON payload objects (default: payload, when present).")
    var payloadColumn: String?

    @Option(name: .customLong("batch-size"), help: "Vectors per durable write.")
    var batchSize = 1000

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let dimension, dimension < 1 { throw ValidationError("--dimension must be at least 1") }
        if let metric, DistanceMetric(parsing: metric) == nil { throw ValidationError("unknown --metric \(metric) (cosine, dot, euclidean)") }
        if let algorithm, ANNAlgorithm(rawValue: algorithm) == nil { throw ValidationError("unknown --algorithm \(algorithm) (hnsw, flat, brute-force)") }
    }

    func run() async throws {
        guard let format = format ?? EmbeddingFormat.infer(from: input) else {
            throw UsageError("cannot tell the format of \(input) from its extension; name it with --format")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? NSNumber
        let progress = ProgressReporter(
            "reading \((input as NSString).lastPathComponent)", total: format == .jsonl ? size?.intValue : nil, unit: "bytes",
            quiet: output.quiet)
        let existing = VectorStoreConfig.recorded(in: path)
        let knownDimension = existing?.dimension ?? dimension
        var rows = try await Self.read(input, format: format, dimension: knownDimension, options: self, progress: progress)
        progress.finish()
        try attachSiblings(&rows, format: format)

        // Check everything before the first write.
        guard let first = rows.records.first else { throw ToolError("\(input) holds no vectors; nothing to import") }
        let d = existing?.dimension ?? dimension ?? first.vector.count
        if let existing = existing?.dimension, let dimension, dimension != existing {
            throw UsageError("--dimension \(dimension), but the collection in \(path) has dimension \(existing)")
        }
        var seen: [VectorID: Int] = [:]
        seen.reserveCapacity(rows.records.count)
        for (i, record) in rows.records.enumerated() {
            do { try record.validate(dimension: d) } catch { throw ToolError("\(rows.label(i)): \(error)") }
            if let earlier = seen.updateValue(i, forKey: record.id) {
                throw ToolError("\(rows.label(i)): the id \(record.id.debugDescription) is also that of \(rows.label(earlier)); each id may appear once")
            }
        }

        let config = try WritableCollection.config(
            path: path, newDimension: d, collection: collection, metric: metric.flatMap(DistanceMetric.init(parsing:)),
            algorithm: algorithm.flatMap(ANNAlgorithm.init(rawValue:)))
        let started = ContinuousClock.now
        let store = try await WritableCollection.open(config)
        let before = try store.count()
        let writing = ProgressReporter("importing", total: rows.records.count, quiet: output.quiet)
        var done = 0
        do {
            while done < rows.records.count {
                let batch = rows.records[done..<min(done + batchSize, rows.records.count)]
                try await store.insert(batch.map(\.vector), ids: batch.map(\.id), payloads: batch.map(\.payload))
                done += batch.count
                writing.update(done)
            }
            writing.finish()
            let after = try store.count()
            try await store.disconnect()
            let seconds = (ContinuousClock.now - started).inSeconds
            output.emit(
                .object([
                    "path": .string(path), "input": .string(input), "format": .string(format.rawValue),
                    "imported": .count(done), "added": .count(after - before), "replaced": .count(done - (after - before)),
                    "vectors": .count(after), "dimension": .count(d), "collection": .string(config.collectionName),
                    "seconds": .double(seconds),
                ]),
                human: {
                    "imported \(done) vectors from \(input) (\(format.rawValue)) into \(path) in \(String(format: "%.2f", seconds)) s: "
                        + "\(after - before) added, \(done - (after - before)) replaced; the collection holds \(after) vectors of dimension \(d)"
                })
        } catch {
            writing.finish()
            try? await store.disconnect()
            throw ToolError("import stopped after \(done) of \(rows.records.count) vectors (those are stored): \(error)")
        }
    }

    /// Reads the input in `format`.
    static func read(
        _ input: String, format: EmbeddingFormat, dimension: Int?, options: ImportCommand, progress: ProgressReporter
    ) async throws -> ImportedRows {
        func matrix(_ m: FloatMatrix) -> ImportedRows {
            let name = input
            return ImportedRows(records: m.records(), hasIDs: false, label: { "row \($0) of \(name)" })
        }
        switch format {
        case .jsonl: return try JSONLinesFormat.read(input, progress: progress)
        case .npy: return matrix(try NumPyFormat.read(input))
        case .fvecs: return matrix(try VecsFormat.read(input, bytes: false))
        case .bvecs: return matrix(try VecsFormat.read(input, bytes: true))
        case .f32:
            guard let dimension else { throw UsageError("raw float32 input needs --dimension (or an existing collection)") }
            return matrix(try RawFloatFormat.read(input, dimension: dimension))
        case .csv:
            return try CSVFormat.read(
                input, columns: .init(id: options.idColumn, vector: options.vectorColumn, payload: options.payloadColumn))
        case .seed: return try await SeedDirectoryFormat.read(input)
        }
    }

    /// Applies `--ids` and `--payloads`.
    func attachSiblings(_ rows: inout ImportedRows, format: EmbeddingFormat) throws {
        if let ids {
            let list = try SiblingFiles.readIDs(ids)
            guard list.count == rows.records.count else {
                throw ToolError("\(ids) holds \(list.count) ids for \(rows.records.count) rows of \(input)")
            }
            for i in list.indices { rows.records[i].id = list[i] }
            rows.hasIDs = true
        }
        if let payloads {
            let list = try SiblingFiles.readPayloads(payloads)
            guard list.count == rows.records.count else {
                throw ToolError("\(payloads) holds \(list.count) payloads for \(rows.records.count) rows of \(input)")
            }
            for i in list.indices { rows.records[i].payload = list[i] }
        }
    }
}
