import Foundation
import Testing
@testable import VectorStorage

/// Data survives a real process restart: another process writes, this one reads, and back.
@Suite struct ProcessRestartTests {
    @Test func aChildProcessWritesAndThisProcessReads() async throws {
        let dir = TemporaryDirectory()
        var lines: [String] = []
        for i in 0..<50 {
            let vector = (0..<8).map { j in String(Float(i * 8 + j) / 7) }.joined(separator: ",")
            let id = i % 2 == 0 ? "\"doc-\(i)\"" : "\(i)"
            lines.append(#"{"id": \#(id), "vector": [\#(vector)], "payload": {"i": \#(i), "even": \#(i % 2 == 0)}}"#)
        }
        dir.write("in.jsonl", Data(lines.joined(separator: "\n").utf8))
        let result = try BuiltProducts.run("vectorstore", [
            "import", dir.file("store"), dir.file("in.jsonl"), "--collection", "shared", "--dimension", "8",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("imported 50"))

        let store = try await StoreFixtures.open(StoreFixtures.config(dir, name: "shared", dimension: 8))
        #expect(try store.count() == 50)
        let doc = try #require(try await store.get("doc-4"))
        #expect(doc.payload == ["i": 4, "even": true])
        #expect(doc.vector == (0..<8).map { Float(32 + $0) / 7 })
        #expect(try await store.get(7)?.payload["i"] == 7)
        #expect(try await store.get("7") == nil)
        try await store.insert([[1, 1, 1, 1, 1, 1, 1, 1]], ids: ["written-here"], payloads: [["by": "test"]])
        try await store.delete("doc-0")
        // No disconnect: a crash-like close (the log alone carries these two writes).
        await store.simulateCrashForTesting()

        let export = try BuiltProducts.run("vectorstore", ["export", dir.file("store"), dir.file("out.jsonl")])
        #expect(export.status == 0, "\(export.error)")
        let exported = try String(contentsOfFile: dir.file("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(exported.count == 50)
        #expect(exported.contains { $0.contains("\"written-here\"") && $0.contains("\"by\":\"test\"") })
        #expect(!exported.contains { $0.contains("\"doc-0\"") })
    }
}
