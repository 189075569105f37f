// vstorture: the crash-test writer. Runs a seeded stream of operations against a persistent
// store and prints, unbuffered, an oracle line before each call (INVOKE) and after it (OK/FAIL),
// so a harness that kills this process at any instant knows exactly what was acknowledged.
// See Options.usage for the modes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VectorStorage

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    Out.line(error.message)
    exit(2)
}

switch options.mode {
case "run": exit(await Modes.run(options))
case "dump": exit(await Modes.dump(options))
case "serve": exit(await Modes.serve(options))
default:
    Out.line(Options.usage)
    exit(2)
}
