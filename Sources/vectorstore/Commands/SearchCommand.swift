import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore search DIR`: the nearest neighbours of a query vector or of a stored vector.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the vectors most similar to a query (read-only, no lock taken).",
        discussion: """
            The query is one of --vector (a JSON array), --vector-file (a .npy, .fvecs, .f32 or .json \
            file; --row picks the row, default 0) or --id (a stored vector: its neighbours, itself \
            excluded unless --include-self; an HNSW search is approximate, --exact makes sure it is \
            found). --id 7 means the integer id 7 when it exists, else the \
            string id "7"; --id '"7"' (JSON) always means the string.

            --filter takes the JSON filter shape of the README: {"category": "docs", \
            "year": {"gte": 2020}, "tags": {"any": ["a", "b"]}, "$or": [...]}.

            Examples:
              vectorstore search ./data/vector-storage --vector '[0.1, 0.2, 0.3]' --limit 5
              vectorstore search ./data/vector-storage --id doc1 --filter '{"category": "docs"}'
              vectorstore search ./data/vector-storage --vector-file queries.npy --row 3 --exact --json
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @Option(help: "The query as a JSON array of numbers.")
    var vector: String?

    @Option(name: .customLong("vector-file"), help: "A file holding the query: .npy, .fvecs, .f32 (raw float32) or .json.")
    var vectorFile: String?

    @Option(help: "The row of --vector-file to use (0-based).")
    var row = 0

    @Option(help: "The id of a stored vector whose neighbours to find.")
    var id: String?

    @Flag(name: .customLong("include-self"), help: "With --id, keep the stored vector itself in the results.")
    var includeSelf = false

    @Option(help: "How many results.")
    var limit = 10

    @Option(help: "A JSON filter on the payloads.")
    var filter: String?

    @Option(help: "HNSW candidate list size for this search (default: the collection's efSearch).")
    var ef: Int?

    @Flag(help: "Scan every vector instead of walking the HNSW graph.")
    var exact = false

    @Flag(name: .customLong("with-vectors"), help: "Include each result's vector.")
    var withVectors = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        let sources = [vector != nil, vectorFile != nil, id != nil].filter { $0 }.count
        if sources != 1 { throw ValidationError("give exactly one of --vector, --vector-file, --id") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let ef, ef < 1 { throw ValidationError("--ef must be at least 1") }
        if row < 0 { throw ValidationError("--row must not be negative") }
        if includeSelf && id == nil { throw ValidationError("--include-self goes with --id") }
    }

    func run() async throws {
        let searchFilter = try filter.map(Self.parseFilter)
        let collection = try await ReadOnlyCollection.open(path: path)
        reportReadOnlyOpen(collection, quiet: output.quiet || output.json)
        let dimension = collection.config.dimension
        var query: [Float]
        var selfID: VectorID?
        if let vector {
            do {
                query = try VectorRecord.parseVector(json: Array(vector.utf8))
            } catch {
                throw UsageError("--vector is not a JSON array of numbers: \(error)")
            }
        } else if let vectorFile {
            query = try QueryFile.read(vectorFile, row: row, dimension: dimension)
        } else {
            let stored = try await Self.lookUp(id!, in: collection)
            query = stored.vector!
            selfID = stored.id
        }
        guard query.count == dimension else {
            throw UsageError("the query has \(query.count) components; the collection's dimension is \(dimension)")
        }
        if let bad = query.firstIndex(where: { !$0.isFinite }) {
            throw UsageError("the query's component \(bad) is \(query[bad]); every component must be finite")
        }
        let options = SearchOptions(efSearch: ef, includeVectors: withVectors, exact: exact)
        var hits = try await collection.search(
            query, limit: limit + (selfID != nil && !includeSelf ? 1 : 0), filter: searchFilter, options: options)
        if let selfID, !includeSelf { hits.removeAll { $0.id == selfID } }
        hits = Array(hits.prefix(limit))

        let exactSearch = exact || collection.config.annAlgorithm.isExact || collection.count < collection.config.annMinDatasetSize
        output.emit(
            .object([
                "path": .string(path),
                "collection": .string(collection.config.collectionName),
                "vectors": .count(collection.count),
                "exact": .bool(exactSearch),
                "efSearch": exactSearch ? .null : .count(ef ?? collection.config.annEfSearch),
                "directoryInUse": .bool(collection.directoryInUse),
                "results": .array(hits.enumerated().map { rank, hit in
                    var entry: [String: JSONValue] = [
                        "rank": .count(rank + 1), "id": .id(hit.id), "score": hit.score.map(JSONValue.float) ?? .null,
                        "payload": .object(hit.payload),
                    ]
                    if let v = hit.vector { entry["vector"] = .array(v.map(JSONValue.float)) }
                    return .object(entry)
                }),
            ]),
            human: {
                if hits.isEmpty { return "no results" }
                let rows = hits.enumerated().map { rank, hit in
                    [String(rank + 1), hit.id.debugDescription, hit.score.map { String(format: "%.4f", $0) } ?? "",
                     Self.abbreviate(JSONValue.object(hit.payload).jsonString, to: 100)]
                }
                let how = exactSearch ? "exact" : "HNSW, efSearch \(ef ?? collection.config.annEfSearch)"
                return table(["#", "id", "score", "payload"], rows)
                    + "\n\(hits.count) of \(collection.count) vectors (\(collection.config.distance.rawValue), \(how))"
            })
    }

    /// Parses `--filter`.
    static func parseFilter(_ text: String) throws -> SearchFilter {
        do {
            return try SearchFilter(json: try JSONValue(jsonText: text))
        } catch {
            throw UsageError("--filter: \(error)")
        }
    }

    /// The stored vector `--id` names: an integer id if the text is one and it exists, else a
    /// string id; JSON (`"7"`, `7`) names the kind exactly.
    static func lookUp(_ text: String, in collection: ReadOnlyCollection) async throws -> VectorStoreResult {
        var candidates: [VectorID] = []
        if let json = try? JSONValue(jsonText: text), case .string(let s) = json {
            candidates = [.string(s)]
        } else if let integer = Int64(text) {
            candidates = [.int(integer), .string(text)]
        } else {
            candidates = [.string(text)]
        }
        for candidate in candidates {
            if let found = try await collection.get(candidate) { return found }
        }
        throw UsageError("no vector has the id \(text) in \(collection.path)")
    }

    static func abbreviate(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}

/// Says on standard error what a read-only command saw: another store has the directory, or a
/// writable open would repair something.
func reportReadOnlyOpen(_ collection: ReadOnlyCollection, quiet: Bool) {
    guard !quiet else { return }
    if collection.directoryInUse {
        notice("note: \(collection.path) is in use by another store\(collection.lockHolder.map { " (\($0))" } ?? ""); read as its files are on disk (up to sequence \(collection.sequence))")
    }
    for repair in collection.pendingRepairs where !(collection.directoryInUse && repair.hasPrefix("cut ")) {
        notice("note: the next open of \(collection.path) will \(repair)")
    }
    for warning in collection.warnings { notice("warning: \(warning)") }
}
