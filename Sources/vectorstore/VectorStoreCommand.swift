import ArgumentParser

@main
struct VectorStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorstore",
        abstract: "VectorStorage's command-line tool: a guided tour, benchmarks, and tools for collection directories.",
        subcommands: [
            QuickstartCommand.self, QuickstartReloadCommand.self, BenchCommand.self, PersistenceBenchCommand.self,
            InspectCommand.self, ExportCommand.self, ImportCommand.self, APIOverheadCommand.self,
        ]
    )
}
