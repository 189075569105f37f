import Testing
import VectorStorage

/// The public surface of `VectorStoreError`: codes that match in `catch` clauses, typed context,
/// equality by code and values, and messages that name the value at fault.
@Suite struct ErrorCodeTests {
    @Test func catchClauseMatchesByCode() async throws {
        let store = try InMemoryVectorStore(config: VectorStoreConfig(collectionName: "codes", dimension: 3, annPersistIndex: false))
        try await store.connect()
        var caught: VectorStoreError.Code?
        do {
            try await store.update("missing", payload: ["a": 1])
        } catch VectorStoreError.Code.dimensionMismatch {
            caught = .dimensionMismatch
        } catch VectorStoreError.Code.vectorNotFound {
            caught = .vectorNotFound
        }
        #expect(caught == .vectorNotFound)
        try await store.disconnect()
    }

    @Test func typedContextNamesTheValueAtFault() async throws {
        let store = try InMemoryVectorStore(config: VectorStoreConfig(collectionName: "codes", dimension: 3, annPersistIndex: false))
        try await store.connect()
        do {
            try await store.insert([[1, 2, 3], [1, 2]], ids: ["a", "b"])
            Issue.record("a 2-component vector was accepted")
        } catch let error as VectorStoreError {
            #expect(error.code == .dimensionMismatch)
            #expect(error.expected == 3)
            #expect(error.actual == 2)
            #expect(error.index == 1)
            #expect(error.path == nil)
            #expect(error.description.contains("index 1"))
        }
        do {
            try await store.update("ghost", payload: [:])
        } catch let error as VectorStoreError {
            #expect(error.id == "ghost")
            #expect(error.description.contains("ghost"))
        }
        try await store.disconnect()
    }

    @Test func equalityComparesCodeAndValues() {
        #expect(VectorStoreError.vectorNotFound("a") == .vectorNotFound("a"))
        #expect(VectorStoreError.vectorNotFound("a") != .vectorNotFound(7))
        #expect(VectorStoreError.diskFull(path: "/x").code != VectorStoreError.directoryLocked(path: "/x").code)
        #expect(VectorStoreError.diskFull(path: "/x").path == VectorStoreError.directoryLocked(path: "/x").path)
    }

    @Test func patternOperatorRejectsOtherErrors() {
        struct Other: Error {}
        #expect(!(VectorStoreError.Code.diskFull ~= Other()))
        #expect(VectorStoreError.Code.diskFull ~= VectorStoreError.diskFull(path: "/x"))
        #expect(!(VectorStoreError.Code.corruptFile ~= VectorStoreError.diskFull(path: "/x")))
    }

    @Test func backendErrorsCarryTheBackendAndFeature() {
        let error = VectorStoreError.unsupportedByBackend(backend: "chroma", feature: "$not", reason: "Chroma has no negation")
        #expect(error.code == .unsupportedByBackend)
        #expect(error.backend == "chroma")
        #expect(error.field == "$not")
        #expect(error.description.contains("$not"))
        #expect(error.code.description == "unsupportedByBackend")
    }
}
