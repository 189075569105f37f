#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VectorStorage

enum Modes {
    /// Opens the store (or reports why not, as `OPENFAIL <json>`).
    static func open(_ options: Options, repair: Bool = false) async -> InMemoryVectorStore? {
        do {
            let store = try InMemoryVectorStore(config: options.config)
            if repair { try await store.repair() } else { try await store.connect() }
            return store
        } catch {
            Out.line("OPENFAIL \(ErrorReport(error).json)")
            return nil
        }
    }

    /// The ids of the store, partitioned by the writer that owns them.
    static func idsByWriter(_ store: InMemoryVectorStore, writers: Int) -> [Set<VectorID>] {
        var sets = Array(repeating: Set<VectorID>(), count: writers)
        if let all = try? store.list(filter: nil, limit: Int.max, offset: 0) {
            for id in all.results.map(\.id) {
                if let w = OpChooser.owner(of: id), w < writers { sets[w].insert(id) }
            }
        }
        return sets
    }

    /// `run`: the seeded stream, `--writers` concurrent writers (each in its own id space; only a
    /// single writer ever clears the collection).
    static func run(_ options: Options) async -> Int32 {
        guard let store = await open(options) else { return 3 }
        let count = (try? store.count()) ?? -1
        Out.line("OPENED count=\(count)")
        let existing = idsByWriter(store, writers: options.writers)
        let writers = options.writers
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                let initial = existing[w]
                group.addTask {
                    var writer = TortureWriter(
                        store: store, seed: options.seed, dimension: options.dimension, writer: w,
                        allowClear: writers == 1, existing: initial)
                    for _ in 0..<options.ops {
                        await writer.step()
                        if options.paceMicros > 0 { try? await Task.sleep(for: .microseconds(options.paceMicros)) }
                    }
                }
            }
        }
        Out.line("END")
        if options.close {
            do {
                try await store.disconnect()
                Out.line("CLOSED ok")
            } catch {
                Out.line("CLOSED \(ErrorReport(error).json)")
            }
        }
        return 0
    }

    /// `dump`: opens (or repairs) the directory and prints its state as one JSON line; exits
    /// without writing a checkpoint unless `--close`.
    static func dump(_ options: Options) async -> Int32 {
        guard let store = await open(options, repair: options.repair) else { return 0 }
        Out.line("STATE " + (await stateJSON(store)))
        if options.close {
            do {
                try await store.disconnect()
                Out.line("CLOSED ok")
            } catch {
                Out.line("CLOSED \(ErrorReport(error).json)")
            }
        }
        return 0
    }

    /// The store's state: every id with the fingerprints of its vector and payload, plus what
    /// recovery reported.
    static func stateJSON(_ store: InMemoryVectorStore) async -> String {
        do {
            let all = try store.list(filter: nil, limit: Int.max, offset: 0)
            var items: [String] = []
            for result in all.results {
                guard let full = try await store.get(result.id), let vector = full.vector else {
                    return ErrorReport(VectorStoreError.vectorNotFound(result.id)).json
                }
                items.append("\(Out.json(Fingerprint.key(result.id))):\(Out.json(Fingerprint.vector(vector) + "/" + Fingerprint.payload(full.payload)))")
            }
            // The index answers only with live ids (a graph or file from another moment would
            // not), and an exact search finds as many as there are, up to its limit.
            let live = Set(all.results.map(\.id))
            let probe = (0..<store.dimension).map { Float(($0 * 7) % 5) / 4 - 0.4 }
            let walked = try await store.search(probe, limit: 10, filter: nil, options: SearchOptions(efSearch: 64))
            let exact = try await store.search(probe, limit: 10, filter: nil, options: SearchOptions(exact: true))
            let searchOK = walked.allSatisfy { live.contains($0.id) } && exact.allSatisfy { live.contains($0.id) }
                && exact.count == min(10, live.count) && Set(walked.map(\.id)).count == walked.count
            let health = store.persistenceHealth()
            let quarantined = health.quarantinedFiles.map(Out.json).joined(separator: ",")
            let warnings = health.recoveryWarnings.map(Out.json).joined(separator: ",")
            return "{\"ok\":true,\"count\":\(try store.count()),\"listed\":\(all.total),\"items\":{\(items.joined(separator: ","))},"
                + "\"quarantined\":[\(quarantined)],\"warnings\":[\(warnings)],\"writesDisabled\":\(health.writesDisabled),"
                + "\"searchOK\":\(searchOK)}"
        } catch {
            return ErrorReport(error).json
        }
    }

    /// `serve`: opens the store, prints `READY`, then runs commands read from standard input.
    static func serve(_ options: Options) async -> Int32 {
        guard let store = await open(options, repair: options.repair) else { return 3 }
        let existing = idsByWriter(store, writers: 1)[0]
        var writer = TortureWriter(
            store: store, seed: options.seed, dimension: options.dimension, writer: 0, allowClear: true,
            existing: existing)
        Out.line("READY count=\((try? store.count()) ?? -1)")
        while let line = readLine() {
            let words = line.split(separator: " ").map(String.init)
            guard let command = words.first else { continue }
            let arg = words.count > 1 ? words[1] : nil
            switch command {
            case "ops":
                for _ in 0..<(Int(arg ?? "1") ?? 1) { await writer.step() }
                Out.line("DONE")
            case "insert":
                let n = Int(arg ?? "1") ?? 1
                let ids = (0..<n).map { _ in writer.chooser.randomID() }
                let unique = Array(Set(ids)).sorted { Fingerprint.key($0) < Fingerprint.key($1) }
                let ok = await writer.run(.put(unique, payloadNil: false))
                Out.line("DONE \(ok ? "ok" : "fail")")
            case "ckpt":
                let ok = await writer.run(.checkpoint)
                Out.line("DONE \(ok ? "ok" : "fail")")
            case "read":
                do {
                    let count = try store.count()
                    let all = try store.list(filter: nil, limit: Int.max, offset: 0)
                    var vectors = 0
                    for r in all.results.prefix(20) where try await store.get(r.id)?.vector != nil { vectors += 1 }
                    let hits = try await store.search([Float](repeating: 0.5, count: options.dimension), limit: 5)
                    Out.line("READ ok count=\(count) got=\(vectors) hits=\(hits.count)")
                } catch {
                    Out.line("READ \(ErrorReport(error).json)")
                }
            case "dump":
                Out.line("STATE " + (await stateJSON(store)))
            case "health":
                let h = store.persistenceHealth()
                Out.line("HEALTH writesDisabled=\(h.writesDisabled) checkpointFailing=\(h.checkpointFailing) lastError=\(Out.oneLine(h.lastError ?? "-"))")
            case "fill":
                Out.line("FILLED \(Ballast.fill(arg ?? "ballast"))")
            case "free":
                Out.line("FREED \(Ballast.free(arg ?? "ballast", count: words.count > 2 ? Int(words[2]) : nil))")
            case "reserve":
                // A file of exactly N bytes, to free later (a known amount of space).
                Out.line("RESERVED \(Ballast.reserve(arg ?? "reserve", size: words.count > 2 ? Int(words[2]) ?? 0 : 0))")
            case "unlink":
                Out.line("UNLINKED \(unlink(arg ?? "") == 0)")
            case "close":
                do {
                    try await store.disconnect()
                    Out.line("CLOSED ok")
                } catch {
                    Out.line("CLOSED \(ErrorReport(error).json)")
                }
            case "exit":
                Out.line("BYE")
                _exit(0)
            case "crash":
                kill(getpid(), SIGKILL)
            default:
                Out.line("UNKNOWN-COMMAND \(command)")
            }
        }
        return 0
    }
}

/// Ballast files that fill a small file system, for the disk-full tests: `<path>.<n>`, each at
/// most 256 KiB, written until the file system refuses (ENOSPC).
enum Ballast {
    static func fill(_ path: String) -> Int {
        var total = 0
        var n = 0
        let chunk = [UInt8](repeating: 0xAB, count: 4096)
        while n < 100_000 {
            let fd = open("\(path).\(n)", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { break }
            var written = 0
            var full = false
            while written < 256 << 10 {
                let r = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if r <= 0 {
                    if r < 0 && errno == EINTR { continue }
                    full = true
                    break
                }
                written += r
            }
            // Top up the last partial page with single bytes until nothing more fits.
            if full {
                var one: UInt8 = 0xAB
                while write(fd, &one, 1) == 1 { written += 1 }
            }
            close(fd)
            total += written
            n += 1
            if full { break }
        }
        return total
    }

    /// Writes a file of exactly `size` bytes (fewer if the disk is full); returns how many.
    static func reserve(_ path: String, size: Int) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xCD, count: 4096)
        var written = 0
        while written < size {
            let r = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, size - written)) }
            if r <= 0 { break }
            written += r
        }
        return written
    }

    /// Removes the last `count` ballast files (all when `nil`); returns how many were removed.
    static func free(_ path: String, count: Int?) -> Int {
        var existing: [Int] = []
        var n = 0
        while access("\(path).\(n)", F_OK) == 0 {
            existing.append(n)
            n += 1
        }
        var removed = 0
        for k in existing.reversed().prefix(count ?? existing.count) where unlink("\(path).\(k)") == 0 { removed += 1 }
        return removed
    }
}
