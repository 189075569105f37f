import Foundation
import Testing
@testable import VectorStorage

/// M1/M2/M3: one store per directory. A second process gets `directoryLocked` at once (by any
/// spelling of the path) while the first keeps working; `kill -9` of the holder frees the lock
/// immediately (the kernel drops a dead process's `flock`); a second open in the same process is
/// refused the same way.
@Suite(.serialized) struct CrashLockTests {
    @Test func secondProcessIsRefusedAndKillNineFreesTheLock() throws {
        let tool = try CrashTool.require()
        let dir = CrashTempDir("lock")
        let store = dir.file("store")
        let base = try CrashHarness.populate(tool, directory: store)
        let holder = try CrashChild(tool, ["serve", "--dir", store, "--seed", "3"], interactive: true, label: "holder")
        try #require(holder.waitForLine(prefix: "READY", timeout: 60) != nil, "holder did not open: \(holder.output)")

        // Every spelling of the directory is the same lock.
        try FileManager.default.createSymbolicLink(atPath: dir.file("alias"), withDestinationPath: store)
        for spelling in [store, store + "/", dir.path + "/./store", dir.file("alias")] {
            let second = try CrashDump.run(tool, directory: spelling, timeout: 30)
            #expect(!second.ok && second.code == "directoryLocked", "second open of \(spelling): \(second.raw)")
        }
        // The holder is unaffected: it writes and reads.
        holder.send("insert 4")
        holder.send("read")
        #expect(holder.waitForLine(prefix: "READ ", timeout: 60)?.hasPrefix("READ ok") == true, "\(holder.output.suffix(3))")
        #expect(holder.output.contains("DONE ok"))

        holder.kill9()
        #expect(holder.waitForExit(timeout: 30) && holder.wasKilled)
        // The lock is free at once: the very next open succeeds, with everything acknowledged.
        // (Through the symbolic link: a linked data directory is a valid place for a store.)
        _ = try CrashHarness.verify(tool, directory: dir.file("alias"), oracle: CrashOracle(lines: holder.output), base: base,
                                    context: "open right after kill -9 of the holder")
    }

    @Test func secondOpenInTheSameProcessIsRefused() async throws {
        let dir = CrashTempDir("lock1", memory: true)
        let path = dir.file("store")
        let first = try InMemoryVectorStore(config: CrashInProcess.config(path))
        try await first.connect()
        try await first.insert([[Float](repeating: 0.5, count: CrashInProcess.dimension)], ids: ["a"], payloads: nil)
        try FileManager.default.createSymbolicLink(atPath: dir.file("alias"), withDestinationPath: path)
        for spelling in [path, path + "/", dir.path + "/./store", dir.file("alias")] {
            let second = try InMemoryVectorStore(config: CrashInProcess.config(spelling))
            await #expect(throws: VectorStoreError.directoryLocked(path: Directory(spelling).path), "second open of \(spelling)") {
                try await second.connect()
            }
            #expect(!second.isConnected())
        }
        // The first store is unaffected, and once it closes the directory can be opened again.
        try await first.insert([[Float](repeating: 0.25, count: CrashInProcess.dimension)], ids: ["b"], payloads: nil)
        try await first.disconnect()
        let again = try InMemoryVectorStore(config: CrashInProcess.config(path))
        try await again.connect()
        #expect(try again.count() == 2)
        try await again.disconnect()
    }
}
