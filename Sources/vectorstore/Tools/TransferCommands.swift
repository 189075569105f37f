import ArgumentParser
import VectorStorage

/// Options naming a collection directory to open.
struct CollectionOptions: ParsableArguments {
    @Argument(help: "The persistence directory.")
    var path: String

    @Option(help: "The collection's name (default: the one recorded in the directory).")
    var collection: String?

    @Option(help: "The vectors' dimension (default: the one recorded in the directory).")
    var dimension: Int?

    @Option(help: "hnsw, flat or brute-force (default: the one recorded in the directory, else hnsw).")
    var algorithm: String?

    /// The configuration: what the directory records, overridden by the options.
    func config() throws -> VectorStoreConfig {
        let report = try? CollectionInspector.inspect(path: path)
        guard let dimension = dimension ?? report?.dimension else {
            throw ValidationError("--dimension is required for a directory without a collection")
        }
        var config = VectorStoreConfig(
            collectionName: collection ?? report?.collectionName ?? "default", dimension: dimension,
            maxVectors: Int(Int32.max), annIndexPath: path)
        if let name = algorithm ?? report?.algorithm {
            guard let value = ANNAlgorithm(rawValue: name) else { throw ValidationError("unknown algorithm \(name)") }
            config.annAlgorithm = value
        }
        if let metric = report?.metric, let value = DistanceMetric(parsing: metric) { config.distance = value }
        return config
    }
}

/// `vectorstore export <dir> <file.jsonl>`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every vector of a collection as JSON Lines (id, vector, payload).")

    @OptionGroup var options: CollectionOptions

    @Argument(help: "The JSON Lines file to write ('-' for standard output).")
    var output: String

    func run() async throws {
        let (manager, _) = try await createVectorStore(try options.config())
        let store = manager.inMemoryStore
        if output == "-" {
            let temporary = FileManagerPaths.temporaryFile()
            try await store.exportJSONL(to: temporary)
            try FileManagerPaths.copyToStandardOutput(temporary)
        } else {
            let count = try await store.exportJSONL(to: output)
            print("exported \(count) vectors to \(output)")
        }
        try await manager.disconnect()
    }
}

/// `vectorstore import <dir> <file.jsonl>`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Upsert the vectors of a JSON Lines file (id, vector, payload) into a collection.")

    @OptionGroup var options: CollectionOptions

    @Argument(help: "The JSON Lines file to read.")
    var input: String

    func run() async throws {
        let (manager, _) = try await createVectorStore(try options.config())
        let count = try await manager.inMemoryStore.importJSONL(from: input)
        try await manager.disconnect()
        print("imported \(count) vectors into \(options.path)")
    }
}
