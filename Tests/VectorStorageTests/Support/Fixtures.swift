import Foundation

/// Paths of the committed test fixtures.
enum Fixtures {
    /// `Tests/Fixtures`.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // the file, Support/, VectorStorageTests/
        return url.appendingPathComponent("Fixtures").path
    }()

    /// Copies a fixture folder into `directory/name` and returns its path.
    static func copy(_ fixture: String, into directory: TemporaryDirectory, as name: String = "store") throws -> String {
        let destination = directory.file(name)
        try FileManager.default.copyItem(atPath: root + "/" + fixture, toPath: destination)
        try? FileManager.default.removeItem(atPath: destination + "/README.md")
        return destination
    }
}
