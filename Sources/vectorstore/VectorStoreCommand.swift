import ArgumentParser
import Foundation
import VectorStorage

@main
struct VectorStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorstore",
        abstract: "VectorStorage's command-line tool: a guided tour, benchmarks, and tools for collection directories.",
        discussion: """
            Read-only commands (search, stats, export, verify, inspect) never take a collection's lock \
            and never write to its directory: they read the files as they are on disk, also while \
            another process has the collection open. Commands that write (import, checkpoint, repair, \
            compact) take the lock and refuse a directory another process holds.

            Exit status:
              0  success (verify/inspect: nothing wrong)
              1  a problem was found or hit: damage (verify, inspect), bad data in an input file, \
            a collection that cannot be opened, a failed write
              2  usage error: unknown option, missing or malformed argument, a query of the wrong dimension
              3  the directory is locked by another process (a running store holds it)

            With --json, standard output holds one JSON object; on failure it is \
            {"error": {"message": ..., "status": N}} and the message also goes to standard error.
            """,
        subcommands: [
            QuickstartCommand.self, QuickstartReloadCommand.self, BenchCommand.self, PersistenceBenchCommand.self,
            APIOverheadCommand.self, SearchCommand.self, StatsCommand.self, VerifyCommand.self, InspectCommand.self,
            ImportCommand.self, ExportCommand.self, CheckpointCommand.self, RepairCommand.self, CompactCommand.self,
        ]
    )

    /// Runs the command line, mapping any error to the documented exit status (``ExitStatus``).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let status = ExitStatus.code(for: error)
            let message = fullMessage(for: error)
            if status == ExitStatus.ok {
                if !message.isEmpty { print(message) }  // --help
            } else {
                if CommandLine.arguments.contains("--json") && !message.isEmpty {
                    let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
                    print(JSONValue.object(["error": ["message": .string(text), "status": .int(Int64(status))]]).jsonString)
                }
                if !message.isEmpty { notice(message) }
            }
            Foundation.exit(status)
        }
    }
}
