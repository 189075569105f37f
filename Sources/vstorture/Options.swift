import VectorStorage

/// Command-line options: `--name value` pairs after the mode.
struct Options: Sendable {
    var mode = ""
    var directory = ""
    var seed: UInt64 = 1
    var ops = 1000
    var writers = 1
    var dimension = 8
    var policy: DurabilityPolicy = .always
    var threshold = 4096
    var algorithm: ANNAlgorithm = .hnsw
    var collection = "torture"
    var inlineLimit: Int?
    /// dump: call `repair()` instead of `connect()`.
    var repair = false
    /// dump/run: disconnect (writing a checkpoint) before exiting instead of just exiting.
    var close = false
    /// run: microseconds to sleep between operations.
    var paceMicros = 0

    static let usage = """
        usage: vstorture run   --dir D [--seed S] [--ops N] [--writers W] [--policy always|batched|never]
                               [--threshold BYTES] [--algorithm hnsw|flat] [--dim D] [--pace-us U] [--close]
               vstorture dump  --dir D [--repair] [--close] [--algorithm ...] [--dim D]
               vstorture serve --dir D [...]   (commands on stdin: ops N, insert K, ckpt, read, dump,
                                                fill PATH, free PATH [N], health, close, exit, crash)
        Prints INVOKE <writer> <seq> <op> ... before each call and OK/FAIL <writer> <seq> ... after it.
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var o = Options()
        guard let mode = arguments.first else { throw UsageError(message: usage) }
        o.mode = mode
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw UsageError(message: "\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let flag = arguments[i]
            switch flag {
            case "--dir": o.directory = try value()
            case "--seed": o.seed = try UInt64(value()) ?? { throw UsageError(message: "bad --seed") }()
            case "--ops": o.ops = try Int(value()) ?? { throw UsageError(message: "bad --ops") }()
            case "--writers": o.writers = try max(1, Int(value()) ?? 1)
            case "--dim": o.dimension = try Int(value()) ?? 8
            case "--threshold": o.threshold = try Int(value()) ?? 4096
            case "--inline-limit": o.inlineLimit = try Int(value())
            case "--pace-us": o.paceMicros = try Int(value()) ?? 0
            case "--name": o.collection = try value()
            case "--repair": o.repair = true
            case "--close": o.close = true
            case "--algorithm":
                let v = try value()
                guard let a = ANNAlgorithm(rawValue: v) else { throw UsageError(message: "bad --algorithm \(v)") }
                o.algorithm = a
            case "--policy":
                switch try value() {
                case "always": o.policy = .always
                case "batched": o.policy = .batched(interval: .milliseconds(5))
                case "never": o.policy = .never
                case let v: throw UsageError(message: "bad --policy \(v)")
                }
            default: throw UsageError(message: "unknown option \(flag)\n\(usage)")
            }
            i += 1
        }
        guard !o.directory.isEmpty else { throw UsageError(message: "--dir is required\n\(usage)") }
        return o
    }

    var config: VectorStoreConfig {
        var c = VectorStoreConfig(
            collectionName: collection, dimension: dimension, maxVectors: 1_000_000, annPersistIndex: true,
            annIndexPath: directory, annAlgorithm: algorithm, annMinDatasetSize: 64, distance: .cosine,
            annM: 8, annEfConstruction: 32, annEfSearch: 32, annBuildThreads: 1,
            durability: policy, checkpointThresholdBytes: threshold)
        if let inlineLimit { c.metadataVectorLimit = inlineLimit }
        return c
    }
}

struct UsageError: Error {
    var message: String
}
