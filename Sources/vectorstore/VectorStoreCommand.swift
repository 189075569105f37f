import ArgumentParser

@main
struct VectorStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorstore",
        abstract: "VectorStorage's command-line tool.",
        subcommands: [BenchCommand.self]
    )
}
