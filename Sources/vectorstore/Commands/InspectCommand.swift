import ArgumentParser
import VectorStorage

/// `vectorstore inspect DIR`: what a collection directory holds and whether its checksums match.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List a collection directory's files with their checksum status (read-only, no lock taken).",
        discussion: """
            Fast: compares every checkpoint file with the checksum recorded for it and reads the \
            log's records, without loading the collection (`verify` does the full check). Exit \
            status 1 when something does not check out.

            Example:
              vectorstore inspect ./data/vector-storage
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @Flag(help: "Print one JSON object on standard output instead of text.")
    var json = false

    func run() throws {
        let report = try CollectionInspector.inspect(path: path)
        if json {
            let value: JSONValue = [
                "path": .string(report.path), "format": report.format.map(JSONValue.string) ?? .null,
                "collection": report.collectionName.map(JSONValue.string) ?? .null,
                "dimension": report.dimension.map { .count($0) } ?? .null,
                "checkpointVectors": report.checkpointVectorCount.map { .count($0) } ?? .null,
                "logRecords": .count(report.logRecords), "lastSequence": .int(Int64(report.lastSequence)),
                "files": .array(report.files.map { ["name": .string($0.name), "bytes": .count($0.bytes), "status": .string($0.status)] }),
                "problems": .array(report.problems.map(JSONValue.string)),
            ]
            print(value.jsonString)
        } else {
            print(report)
        }
        if !report.problems.isEmpty { throw ExitCode(ExitStatus.problem) }
    }
}
