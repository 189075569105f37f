import Foundation

extension BenchData {
    /// Base row `i` as an array (what the store's API takes).
    func row(_ i: Int) -> [Float] { Array(base[(i * dimension)..<((i + 1) * dimension)]) }
}

/// hnswlib's save and load seconds from a `peers.py --json` file.
struct PeerPersistence {
    var save: Double
    var load: Double

    static func load(_ path: String) throws -> PeerPersistence {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let peers = (json as? [String: Any])?["peers"] as? [[String: Any]],
              let hnswlib = peers.first(where: { $0["peer"] as? String == "hnswlib" }),
              let save = hnswlib["save_s"] as? Double, let load = hnswlib["load_s"] as? Double
        else { throw BenchError("\(path) has no hnswlib save_s/load_s") }
        return PeerPersistence(save: save, load: load)
    }
}

struct PolicyResult: Codable {
    var policy: String
    var operations: Int
    var opsPerSecond: Double
    var p50Micros: Double
    var p99Micros: Double
    var flushes: Int

    func named(_ name: String) -> PolicyResult {
        var copy = self
        copy.policy = name
        return copy
    }
}

struct SizeCost: Codable {
    var collectionSize: Int
    var algorithm: String
    var meanMicros: Double
}

struct FullSetResult: Codable {
    var buildSeconds: Double
    var checkpointSeconds: Double
    var checkpointPauseSeconds: Double
    var checkpointBytes: Int
    var openSeconds: Double
    var openSummary: String
}

struct MixedResult: Codable {
    var baselineQPS: Double
    var baselineP50Micros: Double
    var baselineP99Micros: Double
    var mixedQPS: Double
    var mixedP50Micros: Double
    var mixedP99Micros: Double
    var mixedMaxMicros: Double
    var writerOpsPerSecond: Double
}

struct PersistenceBenchReport: Codable {
    var data: String
    var rows: Int
    var dimension: Int
    var policies: [PolicyResult] = []
    var concurrentAlways: PolicyResult?
    var sizeCost: [SizeCost] = []
    var mixed: MixedResult?
    var full: FullSetResult?
    var hnswlibSave: Double?
    var hnswlibLoad: Double?
}
