import Foundation
import VectorStorage

/// The documents the quickstart stores: real sentence embeddings (all-MiniLM-L6-v2, 384
/// dimensions) of Debian package descriptions, from the repository's test fixture
/// `Tests/Fixtures/minilm-debian-small`.
struct QuickstartData {
    struct Document {
        var row: Int
        var package: String
        var text: String
        /// The id the document is stored under: its package name (`name#row` for the few package
        /// names that have two descriptions in the corpus).
        var id: VectorID = 0
    }

    let dimension = 384
    var documents: [Document]
    var vectors: [[Float]]
    var queries: [Document]
    var queryVectors: [[Float]]

    /// The fixture folder: `--data`, else the copy next to these sources, else `./Tests/Fixtures/...`.
    static func locate(_ explicit: String?) throws -> String {
        if let explicit { return explicit }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let candidates = [
            url.appendingPathComponent("Tests/Fixtures/minilm-debian-small").path,
            FileManager.default.currentDirectoryPath + "/Tests/Fixtures/minilm-debian-small",
        ]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/base.f32") {
            return candidate
        }
        throw QuickstartError("cannot find the quickstart data (Tests/Fixtures/minilm-debian-small); pass --data <folder>")
    }

    static func load(from folder: String) throws -> QuickstartData {
        func floats(_ name: String) throws -> [[Float]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            let all: [Float] = data.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            return stride(from: 0, to: all.count, by: 384).map { Array(all[$0..<($0 + 384)]) }
        }
        func documents(_ name: String) throws -> [Document] {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            return try text.split(separator: "\n").map { line in
                // The store's codec keeps each number's kind (a `JSONDecoder` would read 2.0 as 2).
                let value = try JSONValue(jsonText: line)
                guard let row = value["id"]?.intValue, let package = value["package"]?.stringValue,
                      let body = value["text"]?.stringValue
                else { throw QuickstartError("malformed line in \(name)") }
                return Document(row: Int(row), package: package, text: body)
            }
        }
        var docs = try documents("texts.jsonl")
        var seen: [String: Int] = [:]
        for d in docs { seen[d.package, default: 0] += 1 }
        for i in docs.indices {
            docs[i].id = .string(seen[docs[i].package]! > 1 ? "\(docs[i].package)#\(docs[i].row)" : docs[i].package)
        }
        return QuickstartData(
            documents: docs, vectors: try floats("base.f32"),
            queries: try documents("queries.jsonl"), queryVectors: try floats("queries.f32"))
    }

    /// The payload stored with a document.
    static func payload(for document: Document) -> Payload {
        let firstLine = document.text.split(separator: "\n").first.map(String.init) ?? ""
        return [
            "package": .string(document.package),
            "summary": .string(firstLine),
            "kind": .string(kind(of: document.package)),
            "words": .int(Int64(document.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count)),
        ]
    }

    /// A coarse category from Debian's naming conventions.
    static func kind(of package: String) -> String {
        if package.hasSuffix("-doc") { return "documentation" }
        if package.hasPrefix("python3-") || package.hasPrefix("python-") { return "python" }
        if package.hasPrefix("golang-") { return "go" }
        if package.hasPrefix("ruby-") { return "ruby" }
        if package.hasPrefix("node-") { return "javascript" }
        if package.hasPrefix("lib") && package.hasSuffix("-perl") { return "perl" }
        if package.hasPrefix("fonts-") { return "font" }
        if package.hasPrefix("lib") { return "library" }
        return "application"
    }
}

struct QuickstartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
