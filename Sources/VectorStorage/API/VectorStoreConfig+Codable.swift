extension VectorStoreConfig: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, collectionName, dimension, maxVectors, annPersistIndex, annIndexPath
        case annAlgorithm, annMinDatasetSize, distance, annM, annEfConstruction, annEfSearch
        case annBuildThreads, strictPersistence, durability, durabilityIntervalMs
        case checkpointThresholdBytes, metadataVectorLimit, url, fallbackToInMemory
    }

    /// Decodes a configuration; every key is optional and missing keys take their defaults.
    ///
    /// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)`` naming the first
    ///   invalid field (an unknown `type`, `annAlgorithm`, `distance` or `durability` included).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var config = VectorStoreConfig()

        func raw<T: RawRepresentable & CaseIterable>(_ key: CodingKeys, _: T.Type) throws -> T?
        where T.RawValue == String {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let value = T(rawValue: text) else {
                let valid = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw VectorStoreError.invalidConfiguration(
                    field: key.rawValue, value: text, reason: "expected one of \(valid)")
            }
            return value
        }

        if let v = try raw(.type, BackendType.self) { config.type = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .collectionName) { config.collectionName = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .dimension) { config.dimension = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .maxVectors) { config.maxVectors = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .annPersistIndex) { config.annPersistIndex = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .annIndexPath) { config.annIndexPath = v }
        if let v = try raw(.annAlgorithm, ANNAlgorithm.self) { config.annAlgorithm = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .annMinDatasetSize) { config.annMinDatasetSize = v }
        if let text = try c.decodeIfPresent(String.self, forKey: .distance) {
            guard let metric = DistanceMetric(parsing: text) else {
                throw VectorStoreError.invalidConfiguration(
                    field: "distance", value: text, reason: "expected \"cosine\", \"dot\" or \"euclidean\"")
            }
            config.distance = metric
        }
        if let v = try c.decodeIfPresent(Int.self, forKey: .annM) { config.annM = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .annEfConstruction) { config.annEfConstruction = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .annEfSearch) { config.annEfSearch = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .annBuildThreads) { config.annBuildThreads = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .strictPersistence) { config.strictPersistence = v }
        let intervalMs = try c.decodeIfPresent(Int.self, forKey: .durabilityIntervalMs)
        if let text = try c.decodeIfPresent(String.self, forKey: .durability) {
            guard let policy = DurabilityPolicy(parsing: text, intervalMilliseconds: intervalMs ?? 100) else {
                throw VectorStoreError.invalidConfiguration(
                    field: "durability", value: text, reason: "expected \"always\", \"batched\" or \"none\"")
            }
            config.durability = policy
        }
        if let v = try c.decodeIfPresent(Int.self, forKey: .checkpointThresholdBytes) {
            config.checkpointThresholdBytes = v
        }
        if let v = try c.decodeIfPresent(Int.self, forKey: .metadataVectorLimit) { config.metadataVectorLimit = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .url) { config.url = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .fallbackToInMemory) { config.fallbackToInMemory = v }
        try config.validate()
        self = config
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type.rawValue, forKey: .type)
        try c.encode(collectionName, forKey: .collectionName)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(maxVectors, forKey: .maxVectors)
        try c.encode(annPersistIndex, forKey: .annPersistIndex)
        try c.encode(annIndexPath, forKey: .annIndexPath)
        try c.encode(annAlgorithm.rawValue, forKey: .annAlgorithm)
        try c.encode(annMinDatasetSize, forKey: .annMinDatasetSize)
        try c.encode(distance.rawValue, forKey: .distance)
        try c.encode(annM, forKey: .annM)
        try c.encode(annEfConstruction, forKey: .annEfConstruction)
        try c.encode(annEfSearch, forKey: .annEfSearch)
        try c.encodeIfPresent(annBuildThreads, forKey: .annBuildThreads)
        try c.encode(strictPersistence, forKey: .strictPersistence)
        try c.encode(durability.name, forKey: .durability)
        if case .batched(let interval) = durability {
            try c.encode(interval.milliseconds, forKey: .durabilityIntervalMs)
        }
        try c.encode(checkpointThresholdBytes, forKey: .checkpointThresholdBytes)
        try c.encode(metadataVectorLimit, forKey: .metadataVectorLimit)
        try c.encodeIfPresent(url, forKey: .url)
        try c.encode(fallbackToInMemory, forKey: .fallbackToInMemory)
    }
}

extension DistanceMetric {
    /// Parses a metric name; accepts the aliases `dotProduct`, `dot_product`, `ip`, `inner_product`,
    /// `l2` and `euclidean`.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "cosine", "cos": self = .cosine
        case "dot", "dotproduct", "dot_product", "ip", "inner_product", "innerproduct": self = .dotProduct
        case "euclidean", "l2": self = .euclidean
        default: return nil
        }
    }
}

extension DurabilityPolicy {
    /// The policy's name in configuration files: `always`, `batched` or `none`.
    public var name: String {
        switch self {
        case .always: return "always"
        case .batched: return "batched"
        case .never: return "none"
        }
    }

    /// Parses `always`, `batched` (with the given interval) or `none` (also `never`).
    public init?(parsing text: String, intervalMilliseconds: Int = 100) {
        switch text.lowercased() {
        case "always": self = .always
        case "batched": self = .batched(interval: .milliseconds(max(intervalMilliseconds, 1)))
        case "none", "never": self = .never
        default: return nil
        }
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
