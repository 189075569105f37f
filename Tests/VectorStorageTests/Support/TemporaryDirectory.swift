import Foundation

/// A fresh directory under the system's temporary directory, removed when the test is done.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String = "vs") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory (or a subdirectory), sorted.
    func entries(_ sub: String? = nil) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub.map(file) ?? path)) ?? []).sorted()
    }

    func read(_ name: String) -> Data? { FileManager.default.contents(atPath: file(name)) }

    func write(_ name: String, _ data: Data) {
        _ = FileManager.default.createFile(atPath: file(name), contents: data)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
