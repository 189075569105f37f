import ArgumentParser
import Foundation
import VectorStorage

/// The file formats `import` and `export` read and write.
enum EmbeddingFormat: String, CaseIterable, ExpressibleByArgument {
    /// JSON Lines: `{"id": ..., "vector": [...], "payload": {...}}` per line.
    case jsonl
    /// NumPy `.npy`: a 2-D float32 or float64 array in C order (one row per vector).
    case npy
    /// `.fvecs`: per vector a little-endian int32 dimension then that many float32.
    case fvecs
    /// `.bvecs`: per vector a little-endian int32 dimension then that many uint8 (import only).
    case bvecs
    /// Raw little-endian float32, row-major, no header (`.f32`, `.bin`); needs the dimension.
    case f32
    /// CSV with a header row: an id column, a vector column, payload columns.
    case csv
    /// A collection directory as the seed system writes it (`ann_metadata.json`, `payloads.json`,
    /// `ann_index.faiss`); any VectorStorage directory reads too.
    case seed

    /// The format a path's extension (or being a directory) implies.
    static func infer(from path: String) -> EmbeddingFormat? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return .seed }
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "ndjson": return .jsonl
        case "npy": return .npy
        case "fvecs": return .fvecs
        case "bvecs": return .bvecs
        case "f32", "bin", "fbin": return .f32
        case "csv": return .csv
        default: return nil
        }
    }

    /// Whether the format carries ids and payloads itself.
    var carriesIDs: Bool { self == .jsonl || self == .csv || self == .seed }
}

/// Vectors read from an input, before they are checked and written.
struct ImportedRows {
    /// One record per input row; `id` is a placeholder when ``hasIDs`` is false.
    var records: [VectorRecord] = []
    /// The input named the ids.
    var hasIDs = false
    /// Where row `i` came from, for error messages (`line 12 of data.jsonl`).
    var label: @Sendable (Int) -> String = { "row \($0)" }
}

/// Row-major floats with their shape (what array formats hold).
struct FloatMatrix {
    var rows: Int
    var dimension: Int
    var values: [Float]

    func row(_ i: Int) -> [Float] { Array(values[(i * dimension)..<((i + 1) * dimension)]) }

    /// One record per row, with placeholder ids (0, 1, ...) and empty payloads.
    func records() -> [VectorRecord] {
        (0..<rows).map { VectorRecord(id: .int(Int64($0)), vector: row($0)) }
    }
}

/// A format error naming where in the input it is.
func formatError(_ path: String, _ location: String, _ reason: String) -> ToolError {
    ToolError("\(path), \(location): \(reason)")
}

/// Reads a whole input file.
func readInput(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
        throw ToolError("cannot read \(path): \(error.localizedDescription)")
    }
}

/// A file written whole or not at all: into `.<name>.partial` beside it, renamed into place by
/// ``commit()``; `-` is standard output.
final class OutputFile {
    let path: String
    private let temporary: String?
    private let handle: FileHandle

    init(_ path: String) throws {
        self.path = path
        if path == "-" {
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary)
        else { throw ToolError("cannot create \(path)") }
        self.temporary = temporary
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        do { try handle.write(contentsOf: bytes) } catch {
            discard()
            throw ToolError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Closes the file and moves it into place.
    func commit() throws {
        guard let temporary else { return }
        try? handle.synchronize()
        try? handle.close()
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ToolError("cannot move the output into place at \(path)")
        }
    }

    /// Removes the partial file.
    func discard() {
        guard let temporary else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}

extension Data {
    /// The little-endian `UInt32` at `offset`.
    func uint32LE(at offset: Int) -> UInt32 {
        withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
}
