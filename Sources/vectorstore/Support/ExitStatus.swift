import ArgumentParser
import VectorStorage

/// The tool's exit statuses (documented in the root command's help and the README), and the one
/// place that decides which error gives which.
enum ExitStatus {
    /// The command did what was asked (and `verify`/`inspect` found nothing wrong).
    static let ok: Int32 = 0
    /// The command ran and found or hit a problem: damage found by `verify`/`inspect`, bad data in
    /// an input file, a collection that cannot be opened, a failed write.
    static let problem: Int32 = 1
    /// The command line is wrong: an unknown option, a missing or malformed argument, options
    /// that exclude each other, a query of the wrong dimension.
    static let usage: Int32 = 2
    /// Another process (or store) holds the collection directory's lock; commands that write
    /// need it. Read-only commands (`search`, `stats`, `export`, `verify`, `inspect`) do not.
    static let locked: Int32 = 3

    /// The status for an error that ended a command.
    static func code(for error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if error is UsageError { return usage }
        if let error = error as? VectorStoreError {
            if case .directoryLocked = error { return locked }
            return problem
        }
        switch VectorStoreCommand.exitCode(for: error) {
        case .success: return ok  // --help, --version
        case .validationFailure: return usage  // parse errors and ValidationError
        default: return problem
        }
    }
}

/// A command line that is syntactically fine but asks for something impossible (exit status 2).
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A problem found while running a command (exit status 1), with a message for the user.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
