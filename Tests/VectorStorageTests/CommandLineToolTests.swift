import Foundation
import Testing

@testable import VectorStorage

/// The `vectorstore` tool, run as a separate process: every collection command on a collection
/// made by `vectorstore quickstart` and on collections imported from each format, `--json`
/// outputs decoded and checked against the library's own view, exit statuses (usage error,
/// a directory another process holds, damage found), and `repair --dry-run` changing nothing.
@Suite("Command-line tool", .serialized)
struct CommandLineToolTests {
    // MARK: - Running the tool

    struct Run {
        var status: Int32
        var output: String
        var error: String

        /// Standard output as a JSON value (the `--json` output).
        func json() throws -> JSONValue { try JSONValue(jsonText: output) }
    }

    @discardableResult
    static func tool(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.executable("vectorstore"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "VS_PROGRESS")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently: a child filling one while we wait on the other would hang.
        let errorData = LockedBox<Data>()
        let reader = Thread { errorData.value = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errorData.value == nil { usleep(1000) }
        return Run(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: errorData.value!, as: UTF8.self))
    }

    final class LockedBox<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: T?
        var value: T? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    /// Runs the tool and requires exit status `status`.
    @discardableResult
    static func expectStatus(_ status: Int32, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        let run = try tool(arguments)
        #expect(run.status == status, "vectorstore \(arguments.joined(separator: " ")): \(run.error)", sourceLocation: sourceLocation)
        return run
    }

    // MARK: - Fixtures

    /// A collection made by `vectorstore quickstart`, shared by the tests (copied before changes).
    static let quickstart: TemporaryDirectory = {
        let dir = TemporaryDirectory("cli-quickstart")
        let run = try! tool(["quickstart", "--path", dir.file("store"), "--fresh"])
        precondition(run.status == 0, "quickstart failed: \(run.output) \(run.error)")
        return dir
    }()

    /// A copy of a directory's files.
    static func copy(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    /// Every record of a collection, as the library reads it.
    static func records(_ path: String) async throws -> [VectorID: VectorRecord] {
        let collection = try await ReadOnlyCollection.open(path: path)
        let records = collection.records(offset: 0, limit: collection.count)
        return Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
    }

    /// The names and bytes of every entry of a directory.
    static func snapshot(_ path: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            result[name] = FileManager.default.contents(atPath: path + "/" + name) ?? Data()
        }
        return result
    }

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    // MARK: - Every command on the quickstart's collection

    @Test("stats, search, verify, inspect on the quickstart's collection agree with the library")
    func readCommandsOnQuickstart() async throws {
        let path = Self.quickstart.file("store")
        let library = try await ReadOnlyCollection.open(path: path)

        let stats = try Self.expectStatus(0, ["stats", path, "--json"]).json()
        #expect(stats["vectors"]?.intValue == Int64(library.count))
        #expect(stats["dimension"] == 384)
        #expect(stats["collection"] == "debian_packages")
        #expect(stats["metric"] == "cosine")
        #expect(stats["algorithm"] == "hnsw")
        #expect(stats["parameters"]?["M"] == 16)
        #expect((stats["memory"]?["indexBytes"]?.intValue ?? 0) > 384 * 4 * Int64(library.count))
        #expect((stats["disk"]?["totalBytes"]?.intValue ?? 0) > 0)
        let fields = stats["payloadFields"]?.arrayValue ?? []
        let byName = Dictionary(uniqueKeysWithValues: fields.compactMap { f in f["name"]?.stringValue.map { ($0, f) } })
        let all = library.records(offset: 0, limit: library.count)
        for name in ["package", "summary", "kind", "words"] {
            let expected = all.filter { $0.payload[name] != nil }.count
            #expect(byName[name]?["count"]?.intValue == Int64(expected), "field \(name)")
        }
        #expect(byName["words"]?["kinds"]?["int"]?.intValue == Int64(all.filter { $0.payload["words"]?.intValue != nil }.count))
        let human = try Self.expectStatus(0, ["stats", path])
        #expect(human.output.contains("payload fields:"))

        // Search by a stored vector: its neighbours, itself excluded, as the library finds them.
        let probe = all[17]
        let search = try Self.expectStatus(0, ["search", path, "--id", probe.id.description, "--limit", "5", "--json"]).json()
        let results = search["results"]?.arrayValue ?? []
        #expect(results.count == 5)
        #expect(!results.contains { $0["id"] == jsonID(probe.id) })
        let expected = try await library.search(probe.vector, limit: 6).filter { $0.id != probe.id }.prefix(5)
        #expect(results.map { $0["id"] } == expected.map { jsonID($0.id) })
        #expect(results.first?["payload"] == .object(expected.first!.payload))
        let withSelf = try Self.expectStatus(0, ["search", path, "--id", probe.id.description, "--include-self", "--limit", "3", "--json"]).json()
        #expect(withSelf["results"]?[0]?["id"] == jsonID(probe.id))

        // By a JSON vector, exact, filtered.
        let vectorText = "[" + probe.vector.map { "\($0)" }.joined(separator: ",") + "]"
        let filtered = try Self.expectStatus(0, [
            "search", path, "--vector", vectorText, "--exact", "--filter", #"{"kind": "library"}"#, "--limit", "4", "--json",
        ]).json()
        let exact = try await library.search(probe.vector, limit: 4, filter: ["kind": "library"], options: SearchOptions(exact: true))
        #expect(filtered["results"]?.arrayValue?.map { $0["id"] } == exact.map { jsonID($0.id) })
        #expect(filtered["exact"] == true)
        #expect(filtered["results"]?.arrayValue?.allSatisfy { $0["payload"]?["kind"] == "library" } == true)
        let text = try Self.expectStatus(0, ["search", path, "--vector", vectorText, "--limit", "2"])
        #expect(text.output.contains(exact.isEmpty ? "" : "score"))

        let verify = try Self.expectStatus(0, ["verify", path, "--json"]).json()
        #expect(verify["sound"] == true)
        #expect(verify["directoryInUse"] == false)
        #expect(verify["vectors"]?.intValue == Int64(library.count))
        let checked = Set(verify["checks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
        #expect(checked.isSuperset(of: ["ann_metadata.json", "ann_vectors.bin", "payloads.json", "ann_index.faiss", "write-ahead log", "recovery", "vectors", "ids", "graph"]))

        let inspect = try Self.expectStatus(0, ["inspect", path, "--json"]).json()
        #expect(inspect["problems"] == [])
    }

    @Test("checkpoint, compact and repair on a copy of the quickstart's collection")
    func writeCommandsOnQuickstart() async throws {
        let dir = TemporaryDirectory("cli-write")
        let path = dir.file("store")
        try Self.copy(Self.quickstart.file("store"), to: path)
        let before = try await Self.records(path)

        // Leave something in the log and some deleted vectors in the graph first.
        let store = try await StoreFixtures.open(try #require(VectorStoreConfig.recorded(in: path)))
        let doomed = Array(before.keys.prefix(700))
        try await store.delete(doomed)
        await store.simulateCrashForTesting()

        let checkpoint = try Self.expectStatus(0, ["checkpoint", path, "--json"]).json()
        #expect(checkpoint["vectors"]?.intValue == Int64(before.count - doomed.count))
        #expect((checkpoint["logBytesBefore"]?.intValue ?? 0) > (checkpoint["logBytesAfter"]?.intValue ?? 0))

        let compact = try Self.expectStatus(0, ["compact", path, "--json"]).json()
        #expect(compact["after"]?["tombstones"] == 0)
        #expect(compact["after"]?["vectors"]?.intValue == Int64(before.count - doomed.count))
        #expect(compact["after"]?["slots"]?.intValue == Int64(before.count - doomed.count))
        #expect((compact["before"]?["slots"]?.intValue ?? 0) >= (compact["after"]?["slots"]?.intValue ?? 0))
        let after = try await Self.records(path)
        #expect(after.count == before.count - doomed.count)
        for (id, record) in after {
            #expect(Self.sameBits(record.vector, before[id]!.vector) && record.payload == before[id]!.payload)
        }
        try Self.expectStatus(0, ["verify", path])

        // Import into the existing collection: an existing id is replaced, a new one added.
        let (replacedID, replaced) = try #require(after.first)
        let vector = "[" + replaced.vector.map { "\($0)" }.joined(separator: ",") + "]"
        let lines = [
            #"{"id": \#(jsonID(replacedID).jsonString), "vector": \#(vector), "payload": {"note": 2.0}}"#,
            #"{"id": "brand-new", "vector": \#(vector), "payload": {"note": 2}}"#,
        ]
        dir.write("more.jsonl", Data(lines.joined(separator: "\n").utf8))
        let imported = try Self.expectStatus(0, ["import", path, dir.file("more.jsonl"), "--json"]).json()
        #expect(imported["added"] == 1)
        #expect(imported["replaced"] == 1)
        let updated = try await Self.records(path)
        #expect(updated[replacedID]?.payload == ["note": .double(2)])
        #expect(updated["brand-new"]?.payload == ["note": .int(2)])

        let plan = try Self.expectStatus(0, ["repair", path, "--dry-run", "--json"]).json()
        #expect(plan["actions"] == [])
        #expect(plan["opensWithoutRepair"] == true)
        let repair = try Self.expectStatus(0, ["repair", path, "--json"]).json()
        #expect(repair["movedAside"] == [])
        #expect(repair["vectors"]?.intValue == Int64(after.count + 1))
    }

    // MARK: - Import and export in every format

    @Test("export to every format and import back: same ids, bits and payloads; every command works on the import")
    func everyFormatRoundTrips() async throws {
        let source = Self.quickstart.file("store")
        let original = try await Self.records(source)
        let dir = TemporaryDirectory("cli-formats")
        for (format, file) in [("jsonl", "all.jsonl"), ("npy", "all.npy"), ("fvecs", "all.fvecs"), ("f32", "all.f32"),
                               ("csv", "all.csv"), ("seed", "seed-out")] {
            let exported = try Self.expectStatus(0, ["export", source, dir.file(file), "--json"]).json()
            #expect(exported["format"] == .string(format))
            #expect(exported["exported"]?.intValue == Int64(original.count))
            var arguments = ["import", dir.file("in-\(format)"), dir.file(file), "--collection", "c_\(format)", "--json"]
            if !["jsonl", "csv", "seed"].contains(format) {
                let stem = (file as NSString).deletingPathExtension
                arguments += ["--ids", dir.file(stem + ".ids.json"), "--payloads", dir.file(stem + ".payloads.jsonl")]
            }
            if format == "f32" { arguments += ["--dimension", "384"] }
            let imported = try Self.expectStatus(0, arguments).json()
            #expect(imported["imported"]?.intValue == Int64(original.count), "\(format)")
            #expect(imported["dimension"] == 384)
            let back = try await Self.records(dir.file("in-\(format)"))
            #expect(back.count == original.count, "\(format)")
            let mismatches = original.filter { id, record in
                guard let other = back[id] else { return true }
                return !Self.sameBits(other.vector, record.vector) || other.payload != record.payload
            }
            #expect(mismatches.isEmpty, "\(format): \(mismatches.count) records differ, e.g. \(mismatches.first?.key.debugDescription ?? "")")
            try Self.everyCommandWorks(on: dir.file("in-\(format)"), probe: original.values.first!)
        }
        // npy also holds floats only: its sibling files are the ids and payloads.
        let ids = try SiblingFilesReader.ids(dir.file("all.ids.json"))
        #expect(Set(ids) == Set(original.keys))
    }

    /// stats, search, verify, checkpoint, compact, repair --dry-run and export on a collection.
    static func everyCommandWorks(on path: String, probe: VectorRecord) throws {
        let stats = try expectStatus(0, ["stats", path, "--json"]).json()
        let count = try #require(stats["vectors"]?.intValue)
        let search = try expectStatus(0, ["search", path, "--id", jsonID(probe.id).jsonString, "--json"]).json()
        #expect(search["results"]?.arrayValue?.count == Int(min(10, count - 1)))
        try expectStatus(0, ["verify", path])
        try expectStatus(0, ["checkpoint", path])
        let compact = try expectStatus(0, ["compact", path, "--json"]).json()
        #expect(compact["after"]?["vectors"]?.intValue == count)
        let before = snapshot(path)
        try expectStatus(0, ["repair", path, "--dry-run"])
        #expect(snapshot(path) == before)
        try expectStatus(0, ["export", path, path + ".check.jsonl"])
        let lines = try String(contentsOfFile: path + ".check.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == count)
    }

    @Test("the seed's directory imports with every vector and payload")
    func seedFixture() async throws {
        var fixture = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { fixture.deleteLastPathComponent() }
        let seed = fixture.appendingPathComponent("Fixtures/seed-format").path
        let before = Self.snapshot(seed)
        let dir = TemporaryDirectory("cli-seed")
        let imported = try Self.expectStatus(0, ["import", dir.file("store"), seed, "--json"]).json()
        #expect(imported["imported"] == 4)
        #expect(imported["dimension"] == 3)
        #expect(Self.snapshot(seed) == before, "the source directory was not written to")
        let expected = try await Self.records(seed)
        let back = try await Self.records(dir.file("store"))
        #expect(Set(back.keys) == ["doc1", "doc2", 42, "café"])
        for (id, record) in expected {
            #expect(Self.sameBits(back[id]!.vector, record.vector) && back[id]!.payload == record.payload)
        }
        #expect(back["doc1"]?.payload["meta"]?["score"] == .double(0.5))
        try Self.everyCommandWorks(on: dir.file("store"), probe: expected["doc1"]!)
    }

    @Test("bvecs, float64 npy, CSV with extra columns, and default integer ids")
    func otherInputs() async throws {
        let dir = TemporaryDirectory("cli-inputs")
        // bvecs: 3 rows of dimension 4.
        var bvecs = Data()
        for row in 0..<3 {
            withUnsafeBytes(of: Int32(4).littleEndian) { bvecs.append(contentsOf: $0) }
            bvecs.append(contentsOf: (0..<4).map { UInt8(row * 10 + $0) })
        }
        dir.write("b.bvecs", bvecs)
        try Self.expectStatus(0, ["import", dir.file("bv"), dir.file("b.bvecs"), "--algorithm", "flat", "--metric", "euclidean"])
        let bv = try await Self.records(dir.file("bv"))
        #expect(bv[.int(2)]?.vector == [20, 21, 22, 23])
        #expect(bv.count == 3)
        try Self.everyCommandWorks(on: dir.file("bv"), probe: bv[.int(0)]!)

        // float64 .npy, written here byte by byte (format version 1.0).
        let rows: [[Double]] = [[0.5, -1, 1e-3], [2, 3, 4.25]]
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
        for value in rows.joined() { withUnsafeBytes(of: value.bitPattern.littleEndian) { npy.append(contentsOf: $0) } }
        dir.write("d.npy", npy)
        dir.write("d.ids.txt", Data("first\n7\n".utf8))
        try Self.expectStatus(0, ["import", dir.file("np"), dir.file("d.npy"), "--ids", dir.file("d.ids.txt")])
        let np = try await Self.records(dir.file("np"))
        #expect(np["first"]?.vector == [0.5, -1, Float(1e-3)])
        #expect(np[.int(7)]?.vector == [2, 3, 4.25])

        // CSV: quoted fields, a JSON payload column and plain columns typed from their text.
        let csv = """
            doc_id,embedding,title,year,payload
            a,"[1, 2, 3]","Hello, world",2024,"{""tags"": [""x""]}"
            "7","0.5 0.25 0.125",plain,2.5,
            """
        dir.write("t.csv", Data(csv.utf8))
        try Self.expectStatus(0, ["import", dir.file("csv"), dir.file("t.csv"), "--id-column", "doc_id"])
        let table = try await Self.records(dir.file("csv"))
        #expect(table["a"]?.payload == ["title": "Hello, world", "year": 2024, "tags": ["x"]])
        #expect(table[.int(7)]?.payload == ["title": "plain", "year": .double(2.5)])
        #expect(table[.int(7)]?.vector == [0.5, 0.25, 0.125])
    }

    @Test("bad input names the line, row or column at fault, and nothing is written")
    func badInputIsRefusedWhole() throws {
        let dir = TemporaryDirectory("cli-bad")
        let lines = [
            #"{"id": "a", "vector": [1, 2, 3]}"#, #"{"id": "b", "vector": [1, 2, 3]}"#, #"{"id": "c", "vector": [1, 2]}"#,
        ]
        dir.write("bad.jsonl", Data(lines.joined(separator: "\n").utf8))
        let short = try Self.expectStatus(1, ["import", dir.file("store"), dir.file("bad.jsonl")])
        #expect(short.error.contains("line 3"), "\(short.error)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("store")))

        dir.write("dup.jsonl", Data([lines[0], lines[1], lines[0]].joined(separator: "\n").utf8))
        let duplicate = try Self.expectStatus(1, ["import", dir.file("store"), dir.file("dup.jsonl")])
        #expect(duplicate.error.contains("line 3") && duplicate.error.contains("line 1"), "\(duplicate.error)")

        dir.write("syntax.jsonl", Data((lines[0] + "\n" + #"{"id": "x", "vector": [1, 2, NaN]}"#).utf8))
        let syntax = try Self.expectStatus(1, ["import", dir.file("store"), dir.file("syntax.jsonl")])
        #expect(syntax.error.contains("line 2"), "\(syntax.error)")

        dir.write("bad.csv", Data("id,vector\na,\"[1,2]\"\nb,\"[1,x]\"\n".utf8))
        let csv = try Self.expectStatus(1, ["import", dir.file("store"), dir.file("bad.csv")])
        #expect(csv.error.contains("line 3") && csv.error.contains("column \"vector\""), "\(csv.error)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("store")))
    }

    // MARK: - Exit statuses

    @Test("usage errors exit with 2")
    func usageErrors() throws {
        let path = Self.quickstart.file("store")
        try Self.expectStatus(2, ["search", path, "--no-such-option"])
        try Self.expectStatus(2, ["search", path, "--vector", "[1]", "--id", "x"])
        let dimension = try Self.expectStatus(2, ["search", path, "--vector", "[1, 2, 3]"])
        #expect(dimension.error.contains("384"))
        try Self.expectStatus(2, ["search", path, "--vector", "[1, 2", "--json"])
        try Self.expectStatus(2, ["search", path, "--id", "x", "--filter", "[1]"])
        try Self.expectStatus(2, ["import", path])
        try Self.expectStatus(2, ["export", path, "out.unknown"])
        let json = try Self.expectStatus(2, ["stats", path, "--json", "--bogus"])
        #expect(try json.json()["error"]?["status"] == 2)
        let help = try Self.expectStatus(0, ["--help"])
        #expect(help.output.contains("Exit status") && help.output.contains("locked by another process"))
        #expect(try Self.expectStatus(0, ["search", "--help"]).output.contains("Examples"))
    }

    @Test("a directory another process holds: writers exit with 3, readers and verify work without the lock")
    func lockedDirectory() async throws {
        let dir = TemporaryDirectory("cli-locked")
        let path = dir.file("store")
        try Self.copy(Self.quickstart.file("store"), to: path)
        // This test process is the "other process" holding the directory, and writes meanwhile.
        let holder = try await StoreFixtures.open(try #require(VectorStoreConfig.recorded(in: path)))
        try await holder.insert([[Float](repeating: 0.25, count: 384)], ids: ["held"], payloads: [["by": "holder"]])
        let count = try holder.count()

        for command in [["checkpoint", path], ["compact", path], ["repair", path], ["import", path, dir.file("x.jsonl")]] {
            if command[0] == "import" { dir.write("x.jsonl", Data(#"{"id": "y", "vector": [\#(Array(repeating: "0.5", count: 384).joined(separator: ","))]}"#.utf8)) }
            let run = try Self.expectStatus(3, command)
            #expect(run.error.contains("in use"), "\(command[0]): \(run.error)")
        }
        let verify = try Self.expectStatus(0, ["verify", path, "--json"]).json()
        #expect(verify["directoryInUse"] == true)
        #expect(verify["sound"] == true)
        #expect(verify["vectors"]?.intValue == Int64(count))
        let text = try Self.expectStatus(0, ["verify", path])
        #expect(text.output.contains("in use by another store"))
        let stats = try Self.expectStatus(0, ["stats", path, "--json"]).json()
        #expect(stats["vectors"]?.intValue == Int64(count))
        #expect(stats["directoryInUse"] == true)
        let found = try Self.expectStatus(0, ["search", path, "--id", "held", "--include-self", "--exact", "--limit", "1", "--json"]).json()
        #expect(found["results"]?[0]?["payload"] == ["by": "holder"])
        let plan = try Self.expectStatus(0, ["repair", path, "--dry-run", "--json"]).json()
        #expect(plan["directoryInUse"] == true)
        // The holder was not disturbed.
        try await holder.insert([[Float](repeating: 0.5, count: 384)], ids: ["after"], payloads: nil)
        #expect(try holder.count() == count + 1)
        try await holder.disconnect()
    }

    @Test("verify beside a store that writes and checkpoints meanwhile: sound every time, the holder undisturbed")
    func verifyBesideABusyWriter() async throws {
        let dir = TemporaryDirectory("cli-busy")
        let path = dir.file("store")
        try Self.copy(Self.quickstart.file("store"), to: path)
        var config = try #require(VectorStoreConfig.recorded(in: path))
        config.checkpointThresholdBytes = 1 << 20  // background checkpoints too, beside the explicit ones
        let holder = try await StoreFixtures.open(config)
        let writer = Task {
            var written = 0
            while !Task.isCancelled {
                let batch = StoreFixtures.vectors(count: 20, dimension: 384, seed: UInt64(written + 1))
                try await holder.insert(batch, ids: (0..<20).map { .string("busy-\(written + $0)") }, payloads: nil)
                written += 20
                if written % 100 == 0 { try await holder.checkpoint() }
            }
            return written
        }
        for _ in 0..<3 {
            let run = try Self.tool(["verify", path, "--json"])
            let report = try run.json()
            #expect(run.status == 0 && report["sound"] == true, "\(report["problems"]?.jsonString ?? run.error)")
            #expect(report["directoryInUse"] == true)
        }
        writer.cancel()
        let written = try await writer.value
        #expect(written > 0)
        #expect(try holder.count() >= written)
        try await holder.disconnect()
        try Self.expectStatus(0, ["verify", path])
    }

    @Test("damage: verify and inspect exit with 1 naming the file; repair --dry-run changes nothing; repair sets it aside")
    func damagedFile() async throws {
        let dir = TemporaryDirectory("cli-damaged")
        let path = dir.file("store")
        try Self.copy(Self.quickstart.file("store"), to: path)
        var bytes = try #require(dir.read("store/ann_vectors.bin"))
        bytes[bytes.count / 2] ^= 0x40
        dir.write("store/ann_vectors.bin", bytes)

        let verify = try Self.expectStatus(1, ["verify", path, "--json"]).json()
        #expect(verify["sound"] == false)
        let problems = verify["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(problems.contains { $0.hasPrefix("ann_vectors.bin") }, "\(problems)")
        let inspect = try Self.expectStatus(1, ["inspect", path])
        #expect(inspect.output.contains("CHECKSUM MISMATCH"))

        let before = Self.snapshot(path)
        let plan = try Self.expectStatus(0, ["repair", path, "--dry-run", "--json"]).json()
        #expect(Self.snapshot(path) == before, "the dry run changed the directory")
        let actions = plan["actions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(actions.contains { $0.contains("ann_vectors.bin") }, "\(actions)")
        let text = try Self.expectStatus(0, ["repair", path, "--dry-run"])
        #expect(text.output.contains("nothing was changed"))
        #expect(Self.snapshot(path) == before)

        let repair = try Self.expectStatus(0, ["repair", path, "--json"]).json()
        let moved = repair["movedAside"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(moved.contains { $0.hasPrefix("ann_vectors.bin.corrupt-") }, "\(moved)")
        try Self.expectStatus(0, ["verify", path])
        #expect(try await Self.records(path).count == (try await Self.records(Self.quickstart.file("store"))).count)
    }

    @Test("the progress display: on with VS_PROGRESS=always, silent when standard error is not a terminal")
    func progressDisplay() throws {
        let dir = TemporaryDirectory("cli-progress")
        try Self.expectStatus(0, ["export", Self.quickstart.file("store"), dir.file("all.jsonl")])
        let silent = try Self.tool(["import", dir.file("a"), dir.file("all.jsonl")])
        #expect(silent.status == 0)
        #expect(silent.error.isEmpty, "\(silent.error)")
        let shown = try Self.tool(["import", dir.file("b"), dir.file("all.jsonl")], environment: ["VS_PROGRESS": "always"])
        #expect(shown.status == 0)
        #expect(shown.error.contains("importing") && shown.error.contains("elapsed"), "\(shown.error)")
        let quiet = try Self.tool(["verify", dir.file("b"), "--quiet"], environment: ["VS_PROGRESS": "never"])
        #expect(quiet.error.isEmpty)
    }
}

/// Reads the ids file `export` writes beside a `.npy`.
enum SiblingFilesReader {
    static func ids(_ path: String) throws -> [VectorID] {
        let value = try JSONValue(jsonBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        return (value.arrayValue ?? []).compactMap { element in
            switch element {
            case .string(let s): return .string(s)
            case .int(let i): return .int(i)
            default: return nil
            }
        }
    }
}

/// An id as the tool's JSON writes it: a string id a string, an integer id a number.
private func jsonID(_ id: VectorID) -> JSONValue {
    switch id {
    case .string(let s): return .string(s)
    case .int(let i): return .int(i)
    }
}
