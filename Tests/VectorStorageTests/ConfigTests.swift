import Foundation
import Testing
@testable import VectorStorage

@Suite struct ConfigTests {
    @Test func seedConfigJSONDecodesAsIs() throws {
        let json = #"{"type": "in-memory", "collectionName": "my_collection", "dimension": 1536, "maxVectors": 10000, "annPersistIndex": true, "annIndexPath": "./data/vectors"}"#
        let config = try JSONDecoder().decode(VectorStoreConfig.self, from: Data(json.utf8))
        #expect(config.type == .inMemory)
        #expect(config.collectionName == "my_collection")
        #expect(config.dimension == 1536)
        #expect(config.maxVectors == 10_000)
        #expect(config.annPersistIndex)
        #expect(config.annIndexPath == "./data/vectors")
        // Keys the seed does not have take our defaults.
        #expect(config.annAlgorithm == .hnsw)
        #expect(config.annMinDatasetSize == 1000)
        #expect(config.distance == .cosine)
        #expect(config.durability == .always)
    }

    @Test func missingKeysTakeTheSeedDefaults() throws {
        let config = try JSONDecoder().decode(VectorStoreConfig.self, from: Data("{}".utf8))
        #expect(config.type == .inMemory)
        #expect(config.dimension == 1536)
        #expect(config.maxVectors == 10_000)
        #expect(config.annPersistIndex == true)
        #expect(config.annIndexPath == "./data/vector-storage")
        #expect(config == VectorStoreConfig())
    }

    @Test func encodesAndDecodesEveryField() throws {
        let config = VectorStoreConfig(
            collectionName: "c-1_x", dimension: 8, maxVectors: 5, annPersistIndex: false, annIndexPath: "/tmp/x",
            annAlgorithm: .bruteForce, annMinDatasetSize: 7, distance: .euclidean, annM: 12, annEfConstruction: 90,
            annEfSearch: 33, annBuildThreads: 2, strictPersistence: true, durability: .batched(interval: .milliseconds(250)),
            checkpointThresholdBytes: 8192, metadataVectorLimit: 0)
        let data = try JSONEncoder().encode(config)
        let decoded = try JSONDecoder().decode(VectorStoreConfig.self, from: data)
        #expect(decoded == config)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["type"] as? String == "in-memory")
        #expect(object["annAlgorithm"] as? String == "brute-force")
        #expect(object["distance"] as? String == "euclidean")
        #expect(object["durability"] as? String == "batched")
        #expect(object["durabilityIntervalMs"] as? Int == 250)
    }

    @Test(arguments: [
        (#"{"collectionName": ""}"#, "collectionName"),
        (#"{"collectionName": "has space"}"#, "collectionName"),
        (#"{"collectionName": "slash/name"}"#, "collectionName"),
        (#"{"collectionName": "dots.."}"#, "collectionName"),
        (#"{"dimension": 0}"#, "dimension"),
        (#"{"dimension": -3}"#, "dimension"),
        (#"{"maxVectors": 0}"#, "maxVectors"),
        (#"{"maxVectors": -1}"#, "maxVectors"),
        (#"{"type": "qdrant"}"#, "type"),
        (#"{"annAlgorithm": "ivf"}"#, "annAlgorithm"),
        (#"{"distance": "manhattan"}"#, "distance"),
        (#"{"durability": "sometimes"}"#, "durability"),
        (#"{"annM": 1}"#, "annM"),
        (#"{"annEfSearch": 0}"#, "annEfSearch"),
        (#"{"annMinDatasetSize": -1}"#, "annMinDatasetSize"),
    ])
    func invalidConfigurationNamesTheField(json: String, field: String) throws {
        #expect {
            _ = try JSONDecoder().decode(VectorStoreConfig.self, from: Data(json.utf8))
        } throws: { error in
            guard case .invalidConfiguration(let f, _, _) = (error as? VectorStoreError)?.detail else { return false }
            return f == field
        }
    }

    @Test func invalidConfigurationIsRejectedByTheStoreToo() {
        #expect(throws: VectorStoreError.self) {
            _ = try InMemoryVectorStore(config: VectorStoreConfig(collectionName: "bad name!"))
        }
        do {
            _ = try InMemoryVectorStore(config: VectorStoreConfig(dimension: 0))
            Issue.record("dimension 0 was accepted")
        } catch let error as VectorStoreError {
            #expect(error == .invalidConfiguration(field: "dimension", value: "0", reason: "must be positive"))
            #expect(error.description.contains("dimension"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func environmentConfiguration() throws {
        let config = try VectorStoreConfig.fromEnvironment([
            "VECTOR_STORE_TYPE": "in-memory", "VECTOR_STORE_COLLECTION": "env_collection",
            "VECTOR_STORE_DIMENSION": "384", "VECTOR_STORE_MAX_VECTORS": "500",
            "VECTOR_STORE_PERSIST": "false", "VECTOR_STORE_PATH": "/tmp/env-store",
            "VECTOR_STORE_ALGORITHM": "flat", "VECTOR_STORE_DISTANCE": "dot", "VECTOR_STORE_DURABILITY": "none",
        ])
        #expect(config.collectionName == "env_collection")
        #expect(config.dimension == 384)
        #expect(config.maxVectors == 500)
        #expect(config.annPersistIndex == false)
        #expect(config.annIndexPath == "/tmp/env-store")
        #expect(config.annAlgorithm == .flat)
        #expect(config.distance == .dotProduct)
        #expect(config.durability == .never)
        #expect(try VectorStoreConfig.fromEnvironment([:]) == VectorStoreConfig())
    }

    @Test(arguments: [
        ("VECTOR_STORE_DIMENSION", "abc"), ("VECTOR_STORE_DIMENSION", "-5"), ("VECTOR_STORE_DIMENSION", "1.5"),
        ("VECTOR_STORE_MAX_VECTORS", "many"), ("VECTOR_STORE_MAX_VECTORS", "0"), ("VECTOR_STORE_PERSIST", "maybe"),
        ("VECTOR_STORE_TYPE", "redis"), ("VECTOR_STORE_COLLECTION", "white space"),
        ("VECTOR_STORE_ALGORITHM", "annoy"), ("VECTOR_STORE_DISTANCE", "l1"),
    ])
    func badEnvironmentValuesAreErrorsNamingTheVariable(variable: String, value: String) {
        #expect {
            _ = try VectorStoreConfig.fromEnvironment([variable: value])
        } throws: { error in
            guard case .invalidConfiguration(let field, let v, _) = (error as? VectorStoreError)?.detail else { return false }
            return field == variable && v == value
        }
    }
}
