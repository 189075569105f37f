import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore quickstart`: the seed's example flow, end to end, on real embeddings.
struct QuickstartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart",
        abstract: "Store 5,000 real embeddings with payloads, search them, filter, reopen from disk in a new process.")

    @Option(help: "The persistence directory.")
    var path = VectorStoreConfig.defaultIndexPath

    @Option(help: "The data folder (minilm-debian format); default: the repository's test fixture.")
    var data: String?

    @Flag(help: "Delete what a previous run stored before starting.")
    var fresh = false

    static let collection = "debian_packages"
    /// Queries the tour runs (rows of queries.jsonl).
    static let queryRows = [7, 23, 30]

    func run() async throws {
        let out = Printer()
        let folder = try QuickstartData.locate(data)
        let corpus = try QuickstartData.load(from: folder)
        out.title("VectorStorage quickstart")
        out.line("A persistent collection of \(corpus.documents.count.formatted) Debian package descriptions, embedded")
        out.line("with all-MiniLM-L6-v2 (\(corpus.dimension) dimensions), searched by meaning.")

        // 1. Open (create) the collection.
        out.step(1, "Open the collection")
        if fresh, FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
            out.detail("removed the previous run's directory")
        }
        let existed = FileManager.default.fileExists(atPath: path + "/ann_metadata.json")
        var started = ContinuousClock.now
        let config = VectorStoreConfig(
            collectionName: Self.collection, dimension: corpus.dimension, maxVectors: 10_000,
            annPersistIndex: true, annIndexPath: path)
        let (manager, store) = try await createVectorStore(config)
        let before = try await store.list(filter: nil, limit: 0).total
        out.ok("createVectorStore(\"\(Self.collection)\") → \(path) in \(started.elapsed)")
        out.detail(existed
            ? "found \(before.formatted) vectors from a previous run: they were loaded from disk"
            : "a new, empty collection (the directory was created)")

        // 2. Insert documents with payloads, in batches.
        out.step(2, "Insert documents with payloads")
        started = .now
        let batch = 500
        var index = 0
        while index < corpus.documents.count {
            let end = min(index + batch, corpus.documents.count)
            let docs = corpus.documents[index..<end]
            try await store.insert(
                Array(corpus.vectors[index..<end]), ids: docs.map(\.id),
                payloads: docs.map(QuickstartData.payload(for:)))
            index = end
        }
        let count = try await store.list(filter: nil, limit: 0).total
        out.ok("\(corpus.documents.count.formatted) upserts in \(corpus.documents.count / batch) batches in \(started.elapsed) — each batch durable on disk before it returned")
        out.detail("the collection holds \(count.formatted) vectors; a payload looks like:")
        out.detail(describe(QuickstartData.payload(for: corpus.documents[0])), indent: 6)

        // 3. Search by meaning.
        out.step(3, "Search")
        var topIDs: [[VectorID]] = []
        for row in Self.queryRows {
            let query = corpus.queries[row]
            started = .now
            let hits = try await store.search(corpus.queryVectors[row], limit: 3)
            topIDs.append(hits.map(\.id))
            out.query("\"\(firstLine(query.text))\"", elapsed: started.elapsed)
            for hit in hits { out.hit(hit) }
        }

        // 4. Filtered search.
        out.step(4, "Filtered search")
        let filtered: [(String, SearchFilter)] = [
            ("[\"kind\": \"python\"]", ["kind": "python"]),
            ("[\"kind\": .any([\"library\", \"perl\"]), \"words\": .range(gte: 40)]",
             ["kind": .any(["library", "perl"]), "words": .range(gte: 40)]),
        ]
        let filterQuery = Self.queryRows[2]
        out.query("\"\(firstLine(corpus.queries[filterQuery].text))\"", elapsed: nil)
        for (text, filter) in filtered {
            started = .now
            let hits = try await store.search(corpus.queryVectors[filterQuery], limit: 3, filter: filter)
            let total = try await store.list(filter: filter, limit: 0).total
            out.detail("filter \(text) — \(total.formatted) of \(count.formatted) match, \(started.elapsed):")
            for hit in hits { out.hit(hit) }
        }

        // 5. Update, delete, get.
        out.step(5, "Update, delete, get")
        let first = corpus.documents[0]
        try await store.update(first.id, payload: ["package": .string(first.package), "kind": "perl", "starred": true])
        let updated = try await store.get(first.id)
        out.ok("update(\"\(first.id)\", payload:) → \(describe(updated?.payload ?? [:]))")
        let doomed = corpus.documents[1].id
        try await store.delete(doomed)
        out.ok("delete(\"\(doomed)\") → get returns \(try await store.get(doomed) == nil ? "nil" : "something?!")")
        let after = try await store.list(filter: nil, limit: 0).total

        // 6. Disconnect: a checkpoint is written.
        out.step(6, "Disconnect (writes a checkpoint)")
        started = .now
        try await manager.disconnect()
        out.ok("disconnected in \(started.elapsed); the directory now holds:")
        for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where name != "LOCK" {
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
            out.detail("\(name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(bytes(size))", indent: 6)
        }

        // 7. Reopen in a new process and compare.
        out.step(7, "Reopen from disk in a new process")
        let reload = try runReload(folder: folder)
        out.ok("a fresh `vectorstore quickstart-reload` process opened the collection in \(reload.openMilliseconds) ms")
        out.check(reload.count == after, "\(reload.count.formatted) vectors came back (expected \(after.formatted))")
        out.check(reload.updatedPayloadStarred, "the updated payload came back")
        out.check(!reload.deletedPresent, "the deleted document stayed deleted")
        let same = reload.topIDs == topIDs.map { $0.map(\.description) }
        out.check(same, "the same top-3 results for all \(Self.queryRows.count) queries")
        out.line("")
        out.line("Done. The collection is in \(path). Next: `vectorstore stats \(path)`,")
        out.line("`vectorstore search \(path) --id emacs`, `vectorstore verify \(path)`, `vectorstore export \(path) all.jsonl`.")
        if reload.count != after || !same || !reload.updatedPayloadStarred || reload.deletedPresent {
            throw ExitCode.failure
        }
    }

    private func runReload(folder: String) throws -> QuickstartReloadCommand.Report {
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["quickstart-reload", "--path", path, "--data", folder,
                             "--first", "\(Self.queryRows.map(String.init).joined(separator: ","))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw QuickstartError("the reload process failed (status \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(QuickstartReloadCommand.Report.self, from: output)
    }
}

/// The child process of step 7: opens the collection, prints what it finds as JSON.
struct QuickstartReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart-reload", abstract: "Used by quickstart: reopen its collection and report.",
        shouldDisplay: false)

    struct Report: Codable {
        var count: Int
        var openMilliseconds: Int
        var topIDs: [[String]]
        var updatedPayloadStarred: Bool
        var deletedPresent: Bool
    }

    @Option var path: String
    @Option var data: String?
    @Option var first: String

    func run() async throws {
        let corpus = try QuickstartData.load(from: try QuickstartData.locate(data))
        let started = ContinuousClock.now
        let (manager, store) = try await createVectorStore(VectorStoreConfig(
            collectionName: QuickstartCommand.collection, dimension: corpus.dimension, annIndexPath: path))
        let opened = ContinuousClock.now - started
        var top: [[String]] = []
        for row in first.split(separator: ",").compactMap({ Int($0) }) {
            top.append(try await store.search(corpus.queryVectors[row], limit: 3).map(\.id.description))
        }
        let report = Report(
            count: try await store.list(filter: nil, limit: 0).total,
            openMilliseconds: Int(opened.components.seconds * 1000 + opened.components.attoseconds / 1_000_000_000_000_000),
            topIDs: top,
            updatedPayloadStarred: try await store.get(corpus.documents[0].id)?.payload["starred"] == true,
            deletedPresent: try await store.get(corpus.documents[1].id) != nil)
        try await manager.disconnect()
        FileHandle.standardOutput.write(try JSONEncoder().encode(report))
    }
}

private func firstLine(_ text: String) -> String {
    text.split(separator: "\n").first.map(String.init) ?? text
}

private func describe(_ payload: Payload) -> String {
    "[" + payload.keys.sorted().map { key -> String in
        let value: String
        switch payload[key]! {
        case .string(let s): value = "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .int(let i): value = String(i)
        case .bool(let b): value = String(b)
        case .double(let d): value = String(d)
        default: value = "…"
        }
        return "\"\(key)\": \(value)"
    }.joined(separator: ", ") + "]"
}

private func bytes(_ n: Int) -> String {
    if n >= 1 << 20 { return String(format: "%.1f MB", Double(n) / 1_048_576) }
    if n >= 1 << 10 { return String(format: "%.1f KB", Double(n) / 1024) }
    return "\(n) bytes"
}
