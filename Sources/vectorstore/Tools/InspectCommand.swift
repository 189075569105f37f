import ArgumentParser
import VectorStorage

/// `vectorstore inspect <dir>`: what a collection directory holds and whether it checks out.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a collection directory holds and check every file (read-only, no lock taken).")

    @Argument(help: "The persistence directory.")
    var path: String

    func run() throws {
        let report = try CollectionInspector.inspect(path: path)
        print(report)
        if !report.problems.isEmpty { throw ExitCode(2) }
    }
}
