import Foundation

extension VectorStoreConfig {
    /// Reads a configuration from environment variables; unset variables take the defaults.
    ///
    /// | variable | field |
    /// |---|---|
    /// | `VECTOR_STORE_TYPE` | `type` (`in-memory`) |
    /// | `VECTOR_STORE_COLLECTION` | `collectionName` |
    /// | `VECTOR_STORE_DIMENSION` | `dimension` |
    /// | `VECTOR_STORE_MAX_VECTORS` | `maxVectors` |
    /// | `VECTOR_STORE_PERSIST` | `annPersistIndex` (`true`/`false`, `1`/`0`, `yes`/`no`) |
    /// | `VECTOR_STORE_PATH` | `annIndexPath` |
    /// | `VECTOR_STORE_ALGORITHM` | `annAlgorithm` (`hnsw`, `flat`, `brute-force`) |
    /// | `VECTOR_STORE_DISTANCE` | `distance` (`cosine`, `dot`, `euclidean`) |
    /// | `VECTOR_STORE_DURABILITY` | `durability` (`always`, `batched`, `none`) |
    /// | `VECTOR_STORE_URL` | `url` (server backends) |
    /// | `VECTOR_STORE_FALLBACK` | `fallbackToInMemory` (`true`/`false`, `1`/`0`, `yes`/`no`) |
    ///
    /// - Parameter environment: the variables to read (default: this process's environment).
    /// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)`` naming the variable
    ///   whose value is not valid (never a silent default).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> VectorStoreConfig {
        var config = VectorStoreConfig()
        func fail(_ name: String, _ value: String, _ reason: String) -> VectorStoreError {
            .invalidConfiguration(field: name, value: value, reason: reason)
        }
        func integer(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail(name, text, "expected an integer")
            }
            return value
        }
        if let text = environment["VECTOR_STORE_TYPE"] {
            guard let type = BackendType(rawValue: text) else {
                let valid = BackendType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw fail("VECTOR_STORE_TYPE", text, "expected one of \(valid)")
            }
            config.type = type
        }
        if let name = environment["VECTOR_STORE_COLLECTION"] { config.collectionName = name }
        if let dimension = try integer("VECTOR_STORE_DIMENSION") { config.dimension = dimension }
        if let max = try integer("VECTOR_STORE_MAX_VECTORS") { config.maxVectors = max }
        func boolean(_ name: String) throws -> Bool? {
            guard let text = environment[name] else { return nil }
            switch text.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw fail(name, text, "expected true or false")
            }
        }
        if let persist = try boolean("VECTOR_STORE_PERSIST") { config.annPersistIndex = persist }
        if let path = environment["VECTOR_STORE_PATH"] { config.annIndexPath = path }
        if let text = environment["VECTOR_STORE_ALGORITHM"] {
            guard let algorithm = ANNAlgorithm(rawValue: text) else {
                throw fail("VECTOR_STORE_ALGORITHM", text, "expected \"hnsw\", \"flat\" or \"brute-force\"")
            }
            config.annAlgorithm = algorithm
        }
        if let text = environment["VECTOR_STORE_DISTANCE"] {
            guard let metric = DistanceMetric(parsing: text) else {
                throw fail("VECTOR_STORE_DISTANCE", text, "expected \"cosine\", \"dot\" or \"euclidean\"")
            }
            config.distance = metric
        }
        if let text = environment["VECTOR_STORE_DURABILITY"] {
            guard let policy = DurabilityPolicy(parsing: text) else {
                throw fail("VECTOR_STORE_DURABILITY", text, "expected \"always\", \"batched\" or \"none\"")
            }
            config.durability = policy
        }
        if let url = environment["VECTOR_STORE_URL"] { config.url = url }
        if let fallback = try boolean("VECTOR_STORE_FALLBACK") { config.fallbackToInMemory = fallback }
        do {
            try config.validate()
        } catch let error as VectorStoreError {
            guard case .invalidConfiguration(let field, let value, let reason) = error.detail else { throw error }
            let variable = Self.environmentVariable(for: field) ?? field
            throw fail(variable, value, reason)
        }
        return config
    }

    static func environmentVariable(for field: String) -> String? {
        switch field {
        case "type": return "VECTOR_STORE_TYPE"
        case "collectionName": return "VECTOR_STORE_COLLECTION"
        case "dimension": return "VECTOR_STORE_DIMENSION"
        case "maxVectors": return "VECTOR_STORE_MAX_VECTORS"
        case "annPersistIndex": return "VECTOR_STORE_PERSIST"
        case "annIndexPath": return "VECTOR_STORE_PATH"
        case "url": return "VECTOR_STORE_URL"
        default: return nil
        }
    }
}
