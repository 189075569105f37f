import Foundation

/// The oracle of the subprocess crash tests: the operations `vstorture` announced (INVOKE) and
/// what became of each (OK, FAIL definite, FAIL unknown, or nothing: in flight when killed), and
/// the expected collection state they imply.
///
/// A state maps the oracle spelling of an id (`i:7`, `s:w0-k3`) to `"<vector fp>/<payload fp>"`.
typealias CrashState = [String: String]

struct CrashOp {
    enum Kind {
        case put([(key: String, vector: String, payload: String)])
        case updateVector(key: String, vector: String)
        case updatePayload(key: String, payload: String)
        case updateBoth(key: String, vector: String, payload: String)
        case delete([String])
        case clear
        case checkpoint
        case badPut([String])
        case badUpdate(String)

        /// Whether the operation is invalid by construction (must be refused).
        var isInvalid: Bool {
            switch self {
            case .badPut, .badUpdate: return true
            default: return false
            }
        }

        /// Whether the operation changes the collection when it succeeds.
        var changesState: Bool {
            switch self {
            case .checkpoint, .badPut, .badUpdate: return false
            default: return true
            }
        }
    }

    enum Status: Equatable {
        /// Invoked, no result: the process died during the call.
        case pending
        case ok
        /// Definitely not applied (validation error, disk full after the log was trimmed, refused).
        case failed(code: String)
        /// May or may not be on disk (an I/O error of unknown outcome).
        case unknown(code: String)
    }

    var writer: Int
    var seq: Int
    var kind: Kind
    var status: Status = .pending
    var line: String

    /// Whether the operation may or may not have happened.
    var uncertain: Bool {
        switch status {
        case .pending, .unknown: return true
        default: return false
        }
    }
}

struct CrashOracle {
    /// Every operation, in the order it was invoked.
    var ops: [CrashOp] = []
    /// Lines that are not oracle lines (OPENED, END, READ, ...), in order.
    var other: [String] = []
    /// Lines that do not parse (a bug of the harness or the writer).
    var malformed: [String] = []

    init(lines: [String]) {
        var index: [String: Int] = [:]
        for line in lines {
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            switch words.first {
            case "INVOKE":
                guard words.count >= 4, let w = Int(words[1]), let k = Int(words[2]),
                      let kind = Self.parseKind(words[3], Array(words.dropFirst(4)))
                else { malformed.append(line); continue }
                index["\(w) \(k)"] = ops.count
                ops.append(CrashOp(writer: w, seq: k, kind: kind, line: line))
            case "OK", "FAIL":
                guard words.count >= 3, let i = index["\(words[1]) \(words[2])"] else { malformed.append(line); continue }
                if words[0] == "OK" {
                    ops[i].status = .ok
                } else {
                    let outcome = words.count > 3 ? words[3] : "unknown"
                    let code = words.count > 4 ? words[4] : "?"
                    ops[i].status = outcome == "definite" ? .failed(code: code) : .unknown(code: code)
                }
                ops[i].line += "  => " + line
            default:
                other.append(line)
            }
        }
    }

    private static func parseKind(_ name: String, _ args: [String]) -> CrashOp.Kind? {
        func split(_ entry: String) -> (key: String, rest: String)? {
            guard let eq = entry.lastIndex(of: "=") else { return nil }
            return (String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
        }
        switch name {
        case "put":
            var entries: [(String, String, String)] = []
            for arg in args {
                guard let (key, rest) = split(arg) else { return nil }
                let parts = rest.split(separator: "/").map(String.init)
                guard parts.count == 2 else { return nil }
                entries.append((key, parts[0], parts[1]))
            }
            return .put(entries)
        case "updvec":
            guard args.count == 1, let (key, v) = split(args[0]) else { return nil }
            return .updateVector(key: key, vector: v)
        case "updpay":
            guard args.count == 1, let (key, p) = split(args[0]) else { return nil }
            return .updatePayload(key: key, payload: p)
        case "upd":
            guard args.count == 1, let (key, rest) = split(args[0]) else { return nil }
            let parts = rest.split(separator: "/").map(String.init)
            guard parts.count == 2 else { return nil }
            return .updateBoth(key: key, vector: parts[0], payload: parts[1])
        case "del": return .delete(args)
        case "clear": return .clear
        case "ckpt": return .checkpoint
        case "badput": return .badPut(args)
        case "badupd": return args.count == 1 ? .badUpdate(args[0]) : nil
        default: return nil
        }
    }

    /// Applies a successful operation to a state. Returns a problem when the operation could not
    /// have succeeded on that state (an update of an absent id).
    @discardableResult
    static func apply(_ op: CrashOp, to state: inout CrashState) -> String? {
        func parts(_ key: String) -> (String, String)? {
            guard let value = state[key] else { return nil }
            let p = value.split(separator: "/").map(String.init)
            return (p[0], p[1])
        }
        switch op.kind {
        case .put(let entries):
            for e in entries { state[e.key] = e.vector + "/" + e.payload }
        case .updateVector(let key, let vector):
            guard let (_, p) = parts(key) else { return "update of absent id \(key)" }
            state[key] = vector + "/" + p
        case .updatePayload(let key, let payload):
            guard let (v, _) = parts(key) else { return "update of absent id \(key)" }
            state[key] = v + "/" + payload
        case .updateBoth(let key, let vector, let payload):
            guard state[key] != nil else { return "update of absent id \(key)" }
            state[key] = vector + "/" + payload
        case .delete(let keys):
            for key in keys { state[key] = nil }
        case .clear:
            state.removeAll()
        case .checkpoint, .badPut, .badUpdate:
            break
        }
        return nil
    }

    /// The writer that owns an id (`i:<writer*100000+n>` or `s:w<writer>-...`).
    static func owner(of key: String) -> Int? {
        if key.hasPrefix("i:"), let n = Int(key.dropFirst(2)), n >= 0 { return n / 100_000 }
        if key.hasPrefix("s:w"), let dash = key.firstIndex(of: "-") {
            return Int(key[key.index(key.startIndex, offsetBy: 3)..<dash])
        }
        return nil
    }

    static func project(_ state: CrashState, writer: Int?) -> CrashState {
        guard let writer else { return state }
        return state.filter { owner(of: $0.key) == writer }
    }

    /// Invalid operations that were not refused (I2 for bad input), and valid ones that failed
    /// with a code not in `allowedFailures`.
    func unexpectedOutcomes(allowedFailures: Set<String> = []) -> [String] {
        var problems: [String] = []
        for op in ops {
            switch (op.kind.isInvalid, op.status) {
            case (true, .ok): problems.append("an invalid operation was acknowledged: \(op.line)")
            case (true, .unknown): problems.append("an invalid operation had an unknown outcome: \(op.line)")
            case (true, .failed(let code)) where code != "invalid" && code != "vectorNotFound" && !allowedFailures.contains(code):
                problems.append("an invalid operation failed for another reason: \(op.line)")
            case (false, .failed(let code)) where !allowedFailures.contains(code),
                 (false, .unknown(let code)) where !allowedFailures.contains(code):
                problems.append("a valid operation failed: \(op.line)")
            default: break
            }
        }
        return problems
    }

    /// Checks I1–I3 for one writer's stream (or all, when `writer` is nil): the recovered state
    /// must equal the base state plus every acknowledged operation, no definitely-failed one, and
    /// any subset of the uncertain ones (in practice the one in flight when the process died),
    /// applied in invocation order. Returns `nil` when it holds, else an explanation.
    func check(base: CrashState, actual: CrashState, writer: Int? = nil) -> String? {
        let mine = ops.filter { writer == nil || $0.writer == writer! }
        let base = Self.project(base, writer: writer)
        let actual = Self.project(actual, writer: writer)
        let uncertain = mine.indices.filter { mine[$0].uncertain && mine[$0].kind.changesState && !mine[$0].kind.isInvalid }
        guard uncertain.count <= 12 else { return "too many operations of unknown outcome (\(uncertain.count)) to check" }
        var closest: (diff: Int, text: String)?
        for mask in 0..<(1 << uncertain.count) {
            var included = Set<Int>()
            for (bit, i) in uncertain.enumerated() where mask & (1 << bit) != 0 { included.insert(i) }
            var state = base
            var problem: String?
            for (i, op) in mine.enumerated() {
                guard op.status == .ok || included.contains(i) else { continue }
                if op.kind.isInvalid { continue }
                if let p = Self.apply(op, to: &state), problem == nil, op.status == .ok { problem = "\(p) in \(op.line)" }
            }
            if state == actual && problem == nil { return nil }
            let d = Self.diff(expected: state, actual: actual)
            if closest == nil || d.count < closest!.diff {
                let text = (problem.map { $0 + "; " } ?? "") + "with \(included.count) of \(uncertain.count) uncertain ops applied: "
                    + d.lines.prefix(8).joined(separator: "; ")
                closest = (d.count, text)
            }
        }
        let last = mine.suffix(3).map(\.line).joined(separator: " | ")
        return "recovered state matches no prefix of the stream (writer \(writer.map(String.init) ?? "all"), "
            + "\(mine.count) ops, \(mine.filter { $0.status == .ok }.count) acknowledged); closest: \(closest?.text ?? "-"); last ops: \(last)"
    }

    static func diff(expected: CrashState, actual: CrashState) -> (count: Int, lines: [String]) {
        var lines: [String] = []
        for (k, v) in expected.sorted(by: { $0.key < $1.key }) {
            if let a = actual[k] {
                if a != v { lines.append("\(k) is \(a), expected \(v)") }
            } else {
                lines.append("\(k) missing (expected \(v))")
            }
        }
        for (k, v) in actual.sorted(by: { $0.key < $1.key }) where expected[k] == nil {
            lines.append("\(k) present (\(v)) but should not be")
        }
        return (lines.count, lines)
    }
}

/// What `vstorture dump` printed: the state or the error that refused the open.
struct CrashDump {
    var ok: Bool
    var state: CrashState = [:]
    var quarantined: [String] = []
    var warnings: [String] = []
    var fields: [String: Any] = [:]
    var raw: String

    var code: String? { fields["code"] as? String }

    init(line: String) throws {
        raw = line
        let json: String
        if line.hasPrefix("STATE ") {
            json = String(line.dropFirst(6))
        } else if line.hasPrefix("OPENFAIL ") {
            json = String(line.dropFirst(9))
        } else {
            throw CrashFailure("not a dump line: \(line)")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw CrashFailure("dump is not a JSON object: \(line)")
        }
        fields = object
        ok = object["ok"] as? Bool ?? false
        if ok {
            state = object["items"] as? [String: String] ?? [:]
            quarantined = object["quarantined"] as? [String] ?? []
            warnings = object["warnings"] as? [String] ?? []
            let count = object["count"] as? Int ?? -1
            if count != state.count || (object["listed"] as? Int ?? -1) != state.count {
                throw CrashFailure("dump is inconsistent: count \(count), listed \(object["listed"] ?? "?"), \(state.count) items")
            }
            // I5: searches answer with live ids only (and an exact one with as many as it should).
            if object["searchOK"] as? Bool != true {
                throw CrashFailure("after reopening, a search returned ids that are not in the collection (or too few): \(line.prefix(200))")
            }
        }
    }

    /// Opens `directory` in a child process and reads its state (never writing a checkpoint).
    static func run(_ tool: String, directory: String, extra: [String] = [], environment: [String: String] = [:],
                    timeout: Double = 60) throws -> CrashDump {
        let child = try CrashChild.run(tool, ["dump", "--dir", directory] + extra, environment: environment, timeout: timeout)
        guard let line = child.output.last(where: { $0.hasPrefix("STATE ") || $0.hasPrefix("OPENFAIL ") }) else {
            throw CrashFailure("dump of \(directory) printed no state (\(child.exitDescription)); output: "
                + "\(child.output.suffix(3)); stderr: \(child.stderrTail)")
        }
        return try CrashDump(line: line)
    }
}
