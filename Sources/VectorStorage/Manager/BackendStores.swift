import Logging

/// The one place that turns a configuration's `type` into a store.
///
/// Server backends are compiled in only with their package trait (`PgVector`, `Chroma`); without
/// it, asking for one is an ``VectorStoreError/invalidConfiguration(field:value:reason:)`` that
/// says which trait to enable, never a silent substitute.
enum BackendStores {
    /// A new, unconnected store for `config`.
    static func makeStore(config: VectorStoreConfig, logger: Logger?) throws -> any VectorStore {
        switch config.type {
        case .inMemory:
            return try InMemoryVectorStore(config: config, logger: logger)
        case .pgvector:
            #if PgVector
            return try PgVectorStore(config: config, logger: logger)
            #else
            throw missingTrait(config.type, trait: "PgVector")
            #endif
        case .chroma:
            #if Chroma
            return try ChromaVectorStore(config: config, logger: logger)
            #else
            throw missingTrait(config.type, trait: "Chroma")
            #endif
        }
    }

    private static func missingTrait(_ type: BackendType, trait: String) -> VectorStoreError {
        .invalidConfiguration(
            field: "type", value: type.rawValue,
            reason: "this build of VectorStorage does not include the \(type.rawValue) backend; enable the package trait \"\(trait)\" (traits: [\"\(trait)\"] on the dependency)")
    }
}
