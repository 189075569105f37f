import Foundation
import InMemoryLogging
import Logging
import Testing
@testable import VectorStorage

/// Damaged, missing and unwritable files: moved aside (never deleted), logged, and the collection
/// opens with what is still readable — or refuses to open when none of the stored data is.
@Suite struct DamagedFilesTests {
    /// A closed collection of 3 vectors with payloads, in `dir/store`.
    private func makeCollection(_ dir: TemporaryDirectory, inline: Bool = true) async throws -> VectorStoreConfig {
        var config = StoreFixtures.config(dir, dimension: 3)
        if !inline { config.metadataVectorLimit = 0 }
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 0, 0], [0, 1, 0], [0, 0, 1]], ids: ["a", "b", 3],
                               payloads: [["k": "a"], ["k": "b"], ["k": "three"]])
        try await store.disconnect()
        return config
    }

    private func corrupt(_ dir: TemporaryDirectory, _ name: String) throws {
        var data = try #require(dir.read("store/\(name)"))
        data[data.count / 2] ^= 0x5A
        data[data.count / 3] = UInt8(ascii: "}")
        dir.write("store/\(name)", data)
    }

    private func openLogged(_ config: VectorStoreConfig) async throws -> (InMemoryVectorStore, InMemoryLogHandler) {
        let handler = InMemoryLogHandler()
        let store = try InMemoryVectorStore(config: config, logger: Logger(label: "test", factory: { _ in handler }))
        try await store.connect()
        return (store, handler)
    }

    private func asideCopies(_ dir: TemporaryDirectory, of name: String) -> [String] {
        dir.entries("store").filter { $0.hasPrefix(name + ".corrupt-") }
    }

    @Test func damagedPayloadsAreMovedAsideAndTheVectorsOpen() async throws {
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir)
        let original = try #require(dir.read("store/payloads.json"))
        try corrupt(dir, "payloads.json")
        let damaged = try #require(dir.read("store/payloads.json"))
        let (store, log) = try await openLogged(config)
        #expect(try store.count() == 3)
        #expect(try await store.get("a")?.payload == [:])
        #expect(try await store.get("a")?.vector == [1, 0, 0])
        let aside = asideCopies(dir, of: "payloads.json")
        #expect(aside.count == 1)
        #expect(dir.read("store/\(aside[0])") == damaged)  // moved, byte for byte, never deleted
        #expect(original != damaged)
        #expect(log.entries.contains { $0.level == .warning && "\($0.message)".contains("payloads.json") })
        #expect(store.persistenceHealth().quarantinedFiles == aside)
        try await store.disconnect()
    }

    @Test func damagedMetadataIsMovedAsideAndTheBinaryVectorsOpen() async throws {
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir)
        try corrupt(dir, "ann_metadata.json")
        let (store, log) = try await openLogged(config)
        #expect(try store.count() == 3)
        #expect(try await store.get(3)?.payload == ["k": "three"])
        #expect(asideCopies(dir, of: "ann_metadata.json").count == 1)
        #expect(log.entries.contains { $0.level == .warning && "\($0.message)".contains("ann_metadata.json") })
        try await store.disconnect()
        // The next checkpoint wrote a good one again.
        let again = try await StoreFixtures.open(config)
        #expect(again.persistenceHealth().quarantinedFiles.isEmpty)
        try await again.disconnect()
    }

    @Test func damagedIndexFileIsMovedAsideAndTheGraphRebuilt() async throws {
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir)
        try corrupt(dir, "ann_index.faiss")
        let (store, _) = try await openLogged(config)
        #expect(try store.count() == 3)
        #expect(try await store.search([1, 0, 0], limit: 1).first?.id == "a")
        #expect(asideCopies(dir, of: "ann_index.faiss").count == 1)
        try await store.disconnect()
    }

    @Test func damagedVectorsFileFallsBackToTheMetadataCopy() async throws {
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir)
        try corrupt(dir, "ann_vectors.bin")
        let (store, _) = try await openLogged(config)
        #expect(try store.count() == 3)
        #expect(try await store.get("b")?.vector == [0, 1, 0])
        #expect(asideCopies(dir, of: "ann_vectors.bin").count == 1)
        try await store.disconnect()
    }

    @Test func unreadableVectorsAreNeverOpenedAsEmpty() async throws {
        // Vectors only in the binary file (not inline in the metadata), and that file damaged:
        // nothing of the stored vectors is readable, so connect refuses and changes nothing.
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir, inline: false)
        try corrupt(dir, "ann_vectors.bin")
        let before = dir.entries("store")
        let store = try InMemoryVectorStore(config: config)
        await #expect {
            try await store.connect()
        } throws: { error in
            guard case .corruptFile(_, let reason) = (error as? VectorStoreError)?.detail else { return false }
            return reason.contains("repair()")
        }
        #expect(dir.entries("store") == before)
        // repair() moves the damaged file aside and opens with what remains (here: nothing).
        try await store.repair()
        #expect(try store.count() == 0)
        #expect(asideCopies(dir, of: "ann_vectors.bin").count == 1)
        try await store.disconnect()
    }

    @Test func seedFilesWithDamagedMetadataRefuseToOpenEmpty() async throws {
        let dir = TemporaryDirectory()
        _ = try Fixtures.copy("seed-format", into: dir)
        try corrupt(dir, "ann_metadata.json")
        let store = try InMemoryVectorStore(config: StoreFixtures.config(dir, dimension: 3))
        await #expect(throws: VectorStoreError.self) { try await store.connect() }
        #expect(asideCopies(dir, of: "ann_metadata.json").isEmpty)
        try await store.repair()
        #expect(try store.count() == 0)
        #expect(asideCopies(dir, of: "ann_metadata.json").count == 1)
        try await store.disconnect()
    }

    @Test func missingFiles() async throws {
        // Each file missing in turn: the collection opens with everything that remains.
        for name in ["payloads.json", "ann_index.faiss", "ann_vectors.bin", "ann_metadata.json"] {
            let dir = TemporaryDirectory()
            let config = try await makeCollection(dir)
            try FileManager.default.removeItem(atPath: dir.file("store/\(name)"))
            let store = try await StoreFixtures.open(config)
            #expect(try store.count() == 3, "without \(name)")
            let payload = try await store.get("a")?.payload
            #expect(payload == (name == "payloads.json" ? [:] : ["k": "a"]), "without \(name)")
            try await store.disconnect()
        }
    }

    @Test func aCheckpointFileReplacedByADirectoryIsATypedError() async throws {
        let dir = TemporaryDirectory()
        let config = try await makeCollection(dir)
        try FileManager.default.removeItem(atPath: dir.file("store/payloads.json"))
        try FileManager.default.createDirectory(atPath: dir.file("store/payloads.json"), withIntermediateDirectories: false)
        let store = try InMemoryVectorStore(config: config)
        await #expect {
            try await store.connect()
        } throws: { error in
            guard case .corruptFile(let path, let reason) = (error as? VectorStoreError)?.detail else { return false }
            return path.hasSuffix("payloads.json") && reason.contains("directory")
        }
    }

    @Test func saveErrorsDoNotFailTheOperationAndShowInHealth() async throws {
        let dir = TemporaryDirectory()
        var config = StoreFixtures.config(dir, dimension: 3)
        config.checkpointThresholdBytes = 4096
        let manager = try VectorStoreManager(config: config)
        try await manager.connect()
        let store = manager.inMemoryStore
        // Block the checkpoint: a directory where its temporary file goes.
        let blocker = dir.file("store/.payloads.json.vstmp")
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        // Enough writes to pass the checkpoint threshold: each succeeds regardless.
        for i in 0..<60 {
            try await store.insert([[Float(i), 1, 2]], ids: [.int(Int64(i))], payloads: [["i": .int(Int64(i))]])
        }
        await #expect(throws: VectorStoreError.self) { try await store.checkpoint() }
        let health = await manager.healthCheck()
        #expect(health.status == .degraded)
        #expect(health.message.contains("checkpoint"))
        let info = await manager.getInfo()
        #expect(info.lastPersistenceError?.contains("payloads.json") == true)
        // Unblock: the next save succeeds and health recovers; nothing was lost.
        try FileManager.default.removeItem(atPath: blocker)
        try await store.checkpoint()
        #expect(await manager.healthCheck().status == .healthy)
        try await manager.disconnect()
        let reopened = try await StoreFixtures.open(config)
        #expect(try reopened.count() == 60)
        try await reopened.disconnect()
    }

    @Test func strictPersistenceMakesSaveErrorsThrow() async throws {
        let dir = TemporaryDirectory()
        var config = StoreFixtures.config(dir, dimension: 3)
        config.strictPersistence = true
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 2, 3]], ids: ["a"])
        try FileManager.default.createDirectory(atPath: dir.file("store/.ann_metadata.json.vstmp"), withIntermediateDirectories: false)
        await #expect(throws: VectorStoreError.self) { try await store.deleteCollection() }
        await #expect(throws: VectorStoreError.self) { try await store.disconnect() }
        // Nothing acknowledged is lost: the log holds the clear.
        try FileManager.default.removeItem(atPath: dir.file("store/.ann_metadata.json.vstmp"))
        let reopened = try await StoreFixtures.open(config)
        #expect(try reopened.count() == 0)
        try await reopened.disconnect()
    }

    @Test func logsUnderOneLabelPerCollection() async throws {
        let store = try InMemoryVectorStore(config: StoreFixtures.config(nil, name: "labelled", dimension: 2))
        #expect(store.logger.label == "VectorStorage.labelled")
    }
}
