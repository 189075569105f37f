import Foundation
import VectorStorage

/// Ids and payloads kept beside a file whose format holds only vectors (`.npy`, `.fvecs`, ...):
///
/// - ids: `.json` — a JSON array of strings and integers, kinds exact (`["doc1", 42]`); any
///   other extension (`.txt`) — one id per line, integer text an integer id, anything else a
///   string id;
/// - payloads: JSON Lines, line `i` the payload object of row `i` (`{}` or an empty line for none).
enum SiblingFiles {
    static func readIDs(_ path: String) throws -> [VectorID] {
        let data = try readInput(path)
        if path.lowercased().hasSuffix(".json") {
            let value: JSONValue
            do { value = try JSONValue(jsonBytes: data) } catch { throw formatError(path, "JSON", "\(error)") }
            guard case .array(let elements) = value else { throw formatError(path, "JSON", "not an array of ids") }
            return try elements.enumerated().map { i, element in
                switch element {
                case .string(let s): return .string(s)
                case .int(let n): return .int(n)
                default: throw formatError(path, "element \(i)", "an id must be a string or an integer, not \(element.jsonString)")
                }
            }
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { line in
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            return Int64(text).map(VectorID.int) ?? .string(text)
        }
    }

    static func readPayloads(_ path: String) throws -> [Payload] {
        let data = try readInput(path)
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return try lines.enumerated().map { i, line in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return [:] }
            let value: JSONValue
            do { value = try JSONValue(jsonBytes: line) } catch { throw formatError(path, "line \(i + 1)", "\(error)") }
            switch value {
            case .object(let object): return object
            case .null: return [:]
            default: throw formatError(path, "line \(i + 1)", "a payload must be a JSON object")
            }
        }
    }

    static func writeIDs(_ records: [VectorRecord], to path: String) throws {
        let file = try OutputFile(path)
        try file.write(JSONValue.array(records.map { .id($0.id) }).jsonString + "\n")
        try file.commit()
    }

    static func writePayloads(_ records: [VectorRecord], to path: String) throws {
        let file = try OutputFile(path)
        try file.write(records.map { JSONValue.object($0.payload).jsonString + "\n" }.joined())
        try file.commit()
    }

    /// `dir/base.npy` → `dir/base.ids.json` (and `.payloads.jsonl`).
    static func defaultPath(beside output: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingPathExtension().path + suffix
    }
}

/// A query for `search --vector-file`: row `row` of a `.npy`, `.fvecs`, `.bvecs` or raw `.f32`
/// file, or a `.json` file holding an array of numbers (or an array of such arrays).
enum QueryFile {
    static func read(_ path: String, row: Int, dimension: Int) throws -> [Float] {
        let matrix: FloatMatrix
        switch (path as NSString).pathExtension.lowercased() {
        case "npy": matrix = try NumPyFormat.read(path)
        case "fvecs": matrix = try VecsFormat.read(path, bytes: false)
        case "bvecs": matrix = try VecsFormat.read(path, bytes: true)
        case "json":
            let data = try readInput(path)
            if let vector = try? VectorRecord.parseVector(json: data) {
                matrix = FloatMatrix(rows: 1, dimension: vector.count, values: vector)
            } else {
                guard case .array(let rows)? = try? JSONValue(jsonBytes: data) else {
                    throw UsageError("\(path) is not a JSON array of numbers or of arrays of numbers")
                }
                guard row < rows.count else { throw UsageError("--row \(row): \(path) holds \(rows.count) rows") }
                do {
                    let vector = try VectorRecord.parseVector(json: rows[row].jsonBytes)
                    return vector
                } catch {
                    throw UsageError("\(path), row \(row): \(error)")
                }
            }
        default: matrix = try RawFloatFormat.read(path, dimension: dimension)
        }
        guard row < matrix.rows else { throw UsageError("--row \(row): \(path) holds \(matrix.rows) rows") }
        return matrix.row(row)
    }
}
