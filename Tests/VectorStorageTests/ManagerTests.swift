import Foundation
import Testing
@testable import VectorStorage

@Suite struct ManagerTests {
    @Test func connectGetStoreDisconnect() async throws {
        let dir = TemporaryDirectory()
        let manager = try VectorStoreManager(config: StoreFixtures.config(dir, name: "managed", dimension: 2))
        #expect(!manager.isConnected())
        #expect(throws: VectorStoreError.notConnected(collection: "managed")) { _ = try manager.getStore() }
        #expect(await manager.healthCheck().status == .unhealthy)
        try await manager.connect()
        #expect(manager.isConnected())
        let store = try manager.getStore()
        #expect(store.backendType == "in-memory")
        #expect(store.collectionName == "managed")
        #expect(store.dimension == 2)
        try await store.insert([[1, 2]], ids: ["x"])
        let health = await manager.healthCheck()
        #expect(health.status == .healthy)
        #expect(health.details["vectorCount"] == "1")
        var info = await manager.getInfo()
        #expect(info.connected && info.connectionAttempts == 1 && !info.fallbackUsed && info.lastError == nil)
        #expect(info.vectorCount == 1 && info.persistencePath == dir.file("store") && info.algorithm == "hnsw")
        try await manager.disconnect()
        #expect(!manager.isConnected())
        info = await manager.getInfo()
        #expect(!info.connected)
        #expect(info.lastCheckpoint != nil)
    }

    @Test func aFailedConnectIsReportedWithoutFallback() async throws {
        let dir = TemporaryDirectory()
        let holder = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 2))
        let manager = try VectorStoreManager(config: StoreFixtures.config(dir, dimension: 2))
        await #expect(throws: VectorStoreError.directoryLocked(path: dir.file("store"))) { try await manager.connect() }
        let info = await manager.getInfo()
        #expect(!info.connected && info.connectionAttempts == 1 && !info.fallbackUsed)
        #expect(info.lastError?.contains("in use") == true)
        #expect(await manager.healthCheck().status == .unhealthy)
        try await holder.disconnect()
        try await manager.connect()
        #expect(await manager.getInfo().connectionAttempts == 2)
        try await manager.disconnect()
    }

    @Test func factoryFunctions() async throws {
        let dir = TemporaryDirectory()
        let (manager, store) = try await createPersistentInMemoryStore("factory", dimension: 3, persistencePath: dir.file("p"))
        #expect(manager.isConnected() && store.dimension == 3 && store.collectionName == "factory")
        try await store.insert([[1, 2, 3]], ids: [1])
        try await manager.disconnect()
        #expect(dir.entries("p").contains("payloads.json"))

        let seedDefaults = VectorStoreConfig.persistentInMemory("x")
        #expect(seedDefaults.annIndexPath == "./data/vector-storage" && seedDefaults.dimension == 1536 && seedDefaults.annPersistIndex)
        #expect(VectorStoreConfig.defaultStore(useANN: false).annAlgorithm == .flat)
        #expect(VectorStoreConfig.defaultStore().annAlgorithm == .hnsw)

        let (m2, s2) = try await createVectorStore(StoreFixtures.config(nil, name: "volatile", dimension: 2))
        try await s2.insert([[1, 1]], ids: ["a"])
        #expect(try await s2.search([1, 1]).first?.id == "a")
        try await m2.disconnect()
    }
}
