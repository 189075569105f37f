extension VectorStoreConfig {
    /// The longest collection name accepted.
    public static let maxCollectionNameLength = 128

    /// Checks every field.
    ///
    /// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)`` naming the first
    ///   invalid field.
    public func validate() throws {
        func fail(_ field: String, _ value: String, _ reason: String) -> VectorStoreError {
            .invalidConfiguration(field: field, value: value, reason: reason)
        }
        if collectionName.isEmpty {
            throw fail("collectionName", collectionName, "must not be empty")
        }
        if collectionName.utf8.count > Self.maxCollectionNameLength {
            throw fail("collectionName", collectionName, "must be at most \(Self.maxCollectionNameLength) characters")
        }
        let allowed = collectionName.unicodeScalars.allSatisfy { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_" || s == "-"
        }
        if !allowed {
            throw fail("collectionName", collectionName, "may only contain A-Z, a-z, 0-9, '_' and '-'")
        }
        if dimension <= 0 { throw fail("dimension", String(dimension), "must be positive") }
        if dimension > 65_536 { throw fail("dimension", String(dimension), "must be at most 65536") }
        if maxVectors <= 0 { throw fail("maxVectors", String(maxVectors), "must be positive") }
        if maxVectors > Int(Int32.max) {
            throw fail("maxVectors", String(maxVectors), "must be at most \(Int32.max)")
        }
        if annPersistIndex && annIndexPath.isEmpty {
            throw fail("annIndexPath", annIndexPath, "must not be empty when annPersistIndex is true")
        }
        if annIndexPath.utf8.contains(0) { throw fail("annIndexPath", annIndexPath, "must not contain NUL") }
        if annMinDatasetSize < 0 {
            throw fail("annMinDatasetSize", String(annMinDatasetSize), "must not be negative")
        }
        if annM < 2 || annM > 256 { throw fail("annM", String(annM), "must be between 2 and 256") }
        if annEfConstruction < 1 {
            throw fail("annEfConstruction", String(annEfConstruction), "must be positive")
        }
        if annEfSearch < 1 { throw fail("annEfSearch", String(annEfSearch), "must be positive") }
        if let threads = annBuildThreads, threads < 1 {
            throw fail("annBuildThreads", String(threads), "must be positive")
        }
        if case .batched(let interval) = durability, interval <= .zero {
            throw fail("durabilityIntervalMs", String(describing: interval), "must be positive")
        }
        if checkpointThresholdBytes < 4096 {
            throw fail("checkpointThresholdBytes", String(checkpointThresholdBytes), "must be at least 4096")
        }
        if metadataVectorLimit < 0 {
            throw fail("metadataVectorLimit", String(metadataVectorLimit), "must not be negative")
        }
        if type.isRemote {
            let schemes = type == .pgvector ? ["postgres://", "postgresql://"] : ["http://", "https://"]
            guard let url, !url.isEmpty else {
                throw fail("url", url ?? "", "is required for type \"\(type.rawValue)\" (\(schemes[0])...)")
            }
            if !schemes.contains(where: { url.lowercased().hasPrefix($0) }) {
                throw fail("url", url, "must start with \(schemes.joined(separator: " or ")) for type \"\(type.rawValue)\"")
            }
        }
    }
}
