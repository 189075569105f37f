import Foundation
import Testing
@testable import VectorStorage

/// Every validation error names the value at fault, and nothing of a rejected batch is applied.
@Suite struct ValidationTests {
    /// A store holding one vector ("keep"), to check nothing else changes.
    private func seeded() async throws -> (InMemoryVectorStore, TemporaryDirectory) {
        let dir = TemporaryDirectory()
        let store = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 3, maxVectors: 5))
        try await store.insert([[1, 0, 0]], ids: ["keep"], payloads: [["v": 1]])
        return (store, dir)
    }

    /// Expects `error` and that the collection still holds exactly "keep", also after a reload.
    private func expectRejected(
        _ expected: VectorStoreError, _ operation: (InMemoryVectorStore) async throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (store, dir) = try await seeded()
        do {
            try await operation(store)
            Issue.record("expected \(expected)", sourceLocation: sourceLocation)
        } catch let error as VectorStoreError {
            #expect(error == expected, sourceLocation: sourceLocation)
            #expect(!error.description.isEmpty)
        }
        #expect(try store.count() == 1, sourceLocation: sourceLocation)
        #expect(try await store.get("keep")?.payload == ["v": 1], sourceLocation: sourceLocation)
        try await store.disconnect()
        let reopened = try await StoreFixtures.open(StoreFixtures.config(dir, dimension: 3, maxVectors: 5))
        #expect(try reopened.count() == 1, sourceLocation: sourceLocation)
        try await reopened.disconnect()
    }

    @Test func dimensionMismatchNamesExpectedActualAndIndex() async throws {
        try await expectRejected(.dimensionMismatch(expected: 3, actual: 2, index: 1)) {
            try await $0.insert([[1, 2, 3], [1, 2]], ids: ["a", "b"])
        }
        try await expectRejected(.dimensionMismatch(expected: 3, actual: 0, index: 0)) {
            try await $0.insert([[]], ids: ["a"])
        }
        try await expectRejected(.dimensionMismatch(expected: 3, actual: 4, index: 0)) {
            try await $0.update("keep", vector: [1, 2, 3, 4])
        }
    }

    @Test func nonFiniteComponentsAreRejected() async throws {
        try await expectRejected(.invalidVector(index: 1, component: 2, value: .infinity)) {
            try await $0.insert([[1, 2, 3], [1, 2, .infinity]], ids: ["a", "b"])
        }
        try await expectRejected(.invalidVector(index: 0, component: 0, value: -.infinity)) {
            try await $0.insert([[-.infinity, 2, 3]], ids: ["a"])
        }
        // NaN != NaN, so compare the case by hand.
        let (store, _) = try await seeded()
        await #expect {
            try await store.insert([[1, .nan, 3]], ids: ["n"])
        } throws: { error in
            guard case .invalidVector(0, 1, let value) = (error as? VectorStoreError)?.detail else { return false }
            return value.isNaN
        }
        #expect(try store.count() == 1)
    }

    @Test func batchArraysOfDifferentLengths() async throws {
        try await expectRejected(.batchLengthMismatch(vectors: 2, ids: 1, payloads: nil)) {
            try await $0.insert([[1, 2, 3], [1, 2, 3]], ids: ["a"])
        }
        try await expectRejected(.batchLengthMismatch(vectors: 1, ids: 1, payloads: 2)) {
            try await $0.insert([[1, 2, 3]], ids: ["a"], payloads: [[:], [:]])
        }
    }

    @Test func sameIDTwiceInOneBatch() async throws {
        try await expectRejected(.duplicateID("a", first: 0, second: 2)) {
            try await $0.insert([[1, 2, 3], [1, 2, 3], [3, 2, 1]], ids: ["a", "b", "a"])
        }
        try await expectRejected(.duplicateID(7, first: 0, second: 1)) {
            try await $0.insert([[1, 2, 3], [1, 2, 3]], ids: [7, 7])
        }
    }

    @Test func invalidIDs() async throws {
        try await expectRejected(.invalidID(id: "", reason: "an id must not be empty")) {
            try await $0.insert([[1, 2, 3]], ids: [""])
        }
        try await expectRejected(.invalidID(id: "a\u{0}b", reason: "an id must not contain the NUL character")) {
            try await $0.insert([[1, 2, 3], [1, 2, 3]], ids: ["ok", "a\u{0}b"])
        }
        let long = String(repeating: "é", count: 513)  // 1,026 UTF-8 bytes
        let (store, _) = try await seeded()
        await #expect {
            try await store.insert([[1, 2, 3]], ids: [.string(long)])
        } throws: { error in
            guard case .invalidID(_, let reason) = (error as? VectorStoreError)?.detail else { return false }
            return reason.contains("1026") && reason.contains("1024")
        }
        // Exactly 1,024 bytes is accepted.
        let limit = String(repeating: "x", count: 1024)
        try await store.insert([[1, 2, 3]], ids: [.string(limit)])
        #expect(try await store.get(.string(limit)) != nil)
    }

    @Test func payloadsTooDeepOrNonFinite() async throws {
        var deep: JSONValue = "leaf"
        for _ in 0..<64 { deep = ["d": deep] }
        let (store, _) = try await seeded()
        await #expect {
            try await store.insert([[1, 2, 3]], ids: ["deep"], payloads: [["root": deep]])
        } throws: { error in
            guard case .invalidPayload(let id, let path, _) = (error as? VectorStoreError)?.detail else { return false }
            return id == "deep" && path.hasPrefix("root.d.d")
        }
        await #expect {
            try await store.insert([[1, 2, 3], [3, 2, 1]], ids: ["ok", "nan"],
                                   payloads: [["x": 1], ["meta": ["scores": [1.0, .double(.nan)]]]])
        } throws: { error in
            guard case .invalidPayload(let id, let path, _) = (error as? VectorStoreError)?.detail else { return false }
            return id == "nan" && path == "meta.scores[1]"
        }
        await #expect(throws: VectorStoreError.self) {
            try await store.update("keep", payload: ["inf": .double(.infinity)])
        }
        #expect(try store.count() == 1)
        #expect(try await store.get("keep")?.payload == ["v": 1])
        // 63 levels below the root object is the deepest accepted.
        var ok: JSONValue = "leaf"
        for _ in 0..<62 { ok = ["d": ok] }
        try await store.insert([[1, 2, 3]], ids: ["ok-depth"], payloads: [["root": ok]])
    }

    @Test func capacityIsCheckedForTheWholeBatch() async throws {
        try await expectRejected(.capacityExceeded(maxVectors: 5, current: 1, adding: 5)) {
            try await $0.insert(StoreFixtures.vectors(count: 5, dimension: 3), ids: ["a", "b", "c", "d", "e"])
        }
        let (store, _) = try await seeded()
        try await store.insert(StoreFixtures.vectors(count: 4, dimension: 3), ids: ["a", "b", "c", "d"])
        // Upserting existing ids adds nothing, so it fits.
        try await store.insert(StoreFixtures.vectors(count: 2, dimension: 3, seed: 9), ids: ["a", "keep"])
        await #expect(throws: VectorStoreError.capacityExceeded(maxVectors: 5, current: 5, adding: 1)) {
            try await store.insert([[1, 1, 1]], ids: ["f"])
        }
        try await store.delete("a")
        try await store.insert([[1, 1, 1]], ids: ["f"])
        #expect(try store.count() == 5)
    }

    @Test func searchArgumentsAreValidated() async throws {
        let (store, _) = try await seeded()
        await #expect(throws: VectorStoreError.dimensionMismatch(expected: 3, actual: 2, index: 0)) {
            _ = try await store.search([1, 2], limit: 1)
        }
        await #expect(throws: VectorStoreError.invalidArgument(name: "limit", value: "-1", reason: "must not be negative")) {
            _ = try await store.search([1, 2, 3], limit: -1)
        }
        await #expect(throws: VectorStoreError.invalidVector(index: 0, component: 0, value: .infinity)) {
            _ = try await store.search([.infinity, 2, 3], limit: 1)
        }
        #expect(try await store.search([1, 2, 3], limit: 0).isEmpty)
    }

    @Test func updateOfUnknownIDThrowsAndDeleteOfUnknownIDDoesNothing() async throws {
        try await expectRejected(.vectorNotFound("ghost")) {
            try await $0.update("ghost", payload: ["x": 1])
        }
        let (store, _) = try await seeded()
        try await store.delete("ghost")
        try await store.delete(12345)
        #expect(try store.count() == 1)
    }

    @Test func operationsBeforeConnectThrowNotConnected() async throws {
        let store = try InMemoryVectorStore(config: StoreFixtures.config(nil, dimension: 3))
        #expect(!store.isConnected())
        await #expect(throws: VectorStoreError.notConnected(collection: "test")) {
            try await store.insert([[1, 2, 3]], ids: ["a"])
        }
        await #expect(throws: VectorStoreError.notConnected(collection: "test")) {
            _ = try await store.search([1, 2, 3])
        }
        await #expect(throws: VectorStoreError.notConnected(collection: "test")) {
            _ = try await store.get("a")
        }
    }
}

/// Canonically-equivalent string ids (NFC "café" and NFD "café") are the same id, as Swift strings
/// are; the spelling of the latest write is the one kept and saved.
@Suite struct UnicodeIDTests {
    let nfc = "caf\u{E9}"
    let nfd = "cafe\u{301}"

    @Test func equivalentSpellingsAreOneID() async throws {
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 2)
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 0]], ids: [.string(nfd)], payloads: [["v": 1]])
        // Same id: an upsert, not a second vector.
        try await store.insert([[0, 1]], ids: [.string(nfc)], payloads: [["v": 2]])
        #expect(try store.count() == 1)
        let got = try #require(try await store.get(.string(nfd)))
        #expect(got.payload == ["v": 2])
        guard case .string(let spelling) = got.id else { Issue.record("kind changed"); return }
        #expect(Array(spelling.utf8) == Array(nfc.utf8))
        // One batch may not hold both spellings.
        await #expect(throws: VectorStoreError.duplicateID(.string(nfd), first: 0, second: 1)) {
            try await store.insert([[1, 1], [2, 2]], ids: [.string(nfc), .string(nfd)])
        }
        try await store.disconnect()

        // The choice survives a save and a load unchanged (bytes of the kept spelling included).
        let reopened = try await StoreFixtures.open(config)
        #expect(try reopened.count() == 1)
        let again = try #require(try await reopened.get(.string(nfd)))
        guard case .string(let saved) = again.id else { Issue.record("kind changed"); return }
        #expect(Array(saved.utf8) == Array(nfc.utf8))
        #expect(again.payload == ["v": 2])
        try await reopened.disconnect()
        let payloads = try #require(dir.read("store/payloads.json"))
        #expect(payloads.range(of: Data(nfc.utf8)) != nil)
        #expect(payloads.range(of: Data(nfd.utf8)) == nil)
    }

    @Test func survivesTheLogToo() async throws {
        let dir = TemporaryDirectory()
        let config = StoreFixtures.config(dir, dimension: 2)
        let store = try await StoreFixtures.open(config)
        try await store.insert([[1, 0]], ids: [.string(nfd)])
        await store.simulateCrashForTesting()
        let reopened = try await StoreFixtures.open(config)
        let got = try #require(try await reopened.get(.string(nfc)))
        guard case .string(let spelling) = got.id else { Issue.record("kind changed"); return }
        #expect(Array(spelling.utf8) == Array(nfd.utf8))
        try await reopened.disconnect()
    }
}
