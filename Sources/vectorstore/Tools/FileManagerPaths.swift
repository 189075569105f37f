import Foundation

enum FileManagerPaths {
    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vectorstore-\(UUID().uuidString).jsonl").path
    }

    static func copyToStandardOutput(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        FileHandle.standardOutput.write(data)
        try? FileManager.default.removeItem(atPath: path)
    }
}
