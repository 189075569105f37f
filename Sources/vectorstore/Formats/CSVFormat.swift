import Foundation
import VectorStorage

/// CSV (RFC 4180: comma-separated, `"`-quoted fields that may hold commas, quotes and newlines)
/// with a header row naming the columns:
///
/// - the **vector** column (`--vector-column`, default `vector`, else `embedding`): a JSON array
///   (`[0.1, 0.2]`) or numbers separated by spaces or semicolons;
/// - the **id** column (`--id-column`, default `id` when present): integer text gives an integer
///   id, a JSON string (`"7"`) a string id, anything else a string id;
/// - the **payload** column (`--payload-column`, default `payload` when present): a JSON object;
/// - every other column becomes a payload field of that name: a JSON number, `true`, `false` or
///   `null` keeps its type, any other text is a string, an empty cell is left out.
///
/// Written as `id,vector,payload` (the vector and the payload as JSON), which reads back exactly.
enum CSVFormat {
    struct Columns {
        var id: String?
        var vector: String?
        var payload: String?
    }

    static func read(_ path: String, columns: Columns) throws -> ImportedRows {
        let data = try readInput(path)
        let table = try parse(data, path: path)
        guard let header = table.first else { throw formatError(path, "line 1", "empty file: a header row is required") }
        func column(_ name: String?, defaults: [String], what: String, required: Bool) throws -> Int? {
            if let name {
                guard let index = header.firstIndex(of: name) else {
                    throw formatError(path, "header", "no \(what) column named \"\(name)\" (columns: \(header.joined(separator: ", ")))")
                }
                return index
            }
            if let index = defaults.lazy.compactMap({ header.firstIndex(of: $0) }).first { return index }
            if required {
                throw formatError(path, "header", "no \(what) column (\(defaults.joined(separator: " or ")); name it with --\(what)-column)")
            }
            return nil
        }
        let vectorColumn = try column(columns.vector, defaults: ["vector", "embedding"], what: "vector", required: true)!
        let idColumn = try column(columns.id, defaults: ["id"], what: "id", required: false)
        let payloadColumn = try column(columns.payload, defaults: ["payload"], what: "payload", required: false)
        var rows = ImportedRows(hasIDs: idColumn != nil)
        var lines: [Int] = []
        for (n, record) in table.enumerated().dropFirst() {
            let line = n + 1
            if record.count == 1 && record[0].isEmpty { continue }  // a blank line
            func cell(_ i: Int) -> String { i < record.count ? record[i] : "" }
            func fail(_ column: String, _ reason: String) -> ToolError {
                formatError(path, "row \(rows.records.count) (record on line \(line)), column \"\(column)\"", reason)
            }
            guard record.count == header.count else {
                throw formatError(path, "record on line \(line)", "\(record.count) fields, the header has \(header.count)")
            }
            let vector: [Float]
            do { vector = try parseVector(cell(vectorColumn)) } catch { throw fail(header[vectorColumn], "\(error)") }
            var id = VectorID.int(Int64(rows.records.count))
            if let idColumn {
                let text = cell(idColumn)
                id = Int64(text).map(VectorID.int) ?? .string(text)
                if text.hasPrefix("\""), case .string(let s)? = try? JSONValue(jsonText: text) { id = .string(s) }
            }
            var payload: Payload = [:]
            for (i, name) in header.enumerated() where i != vectorColumn && i != idColumn && i != payloadColumn {
                let text = cell(i)
                if text.isEmpty { continue }
                payload[name] = scalar(text)
            }
            if let payloadColumn, !cell(payloadColumn).isEmpty {
                do {
                    guard case .object(let object) = try JSONValue(jsonText: cell(payloadColumn)) else {
                        throw ToolError("not a JSON object")
                    }
                    payload.merge(object) { _, new in new }
                } catch {
                    throw fail(header[payloadColumn], "\(error)")
                }
            }
            rows.records.append(VectorRecord(id: id, vector: vector, payload: payload))
            lines.append(line)
        }
        let name = path
        rows.label = { [lines] in "row \($0) (line \(lines[$0])) of \(name)" }
        return rows
    }

    /// A vector cell: a JSON array, or numbers separated by spaces, semicolons or commas.
    static func parseVector(_ text: String) throws -> [Float] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") { return try VectorRecord.parseVector(json: Array(trimmed.utf8)) }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "," || $0 == "\t" })
        guard !parts.isEmpty else { throw ToolError("empty vector") }
        return try VectorRecord.parseVector(json: Array(("[" + parts.joined(separator: ",") + "]").utf8))
    }

    /// A payload cell: a JSON number or literal keeps its type, other text is a string.
    static func scalar(_ text: String) -> JSONValue {
        if let first = text.first, first == "-" || first.isNumber || text == "true" || text == "false" || text == "null",
           let value = try? JSONValue(jsonText: text)
        {
            switch value {
            case .int, .double, .bool, .null: return value
            default: break
            }
        }
        return .string(text)
    }

    /// Splits CSV text into records of fields.
    static func parse(_ data: Data, path: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1
        var i = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < data.endIndex {
            let byte = data[i]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < data.endIndex && data[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    guard field.isEmpty else { throw formatError(path, "line \(line)", "a quote inside an unquoted field") }
                    quoted = true
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endField()
                    records.append(record)
                    record = []
                    line += 1
                case UInt8(ascii: "\r"):
                    break
                default:
                    field.append(byte)
                }
            }
            i += 1
        }
        if quoted { throw formatError(path, "line \(line)", "a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }

    static func write(_ records: [VectorRecord], header: Bool, to file: OutputFile) throws {
        var text = header ? "id,vector,payload\n" : ""
        for record in records {
            let id: String
            switch record.id {
            case .int(let i): id = String(i)
            // A string id that reads as an integer (or starts with a quote) is written as JSON.
            case .string(let s): id = quote(Int64(s) != nil || s.hasPrefix("\"") ? JSONValue.string(s).jsonString : s)
            }
            let vector = "[" + record.vector.map { "\($0)" }.joined(separator: ",") + "]"
            text += "\(id),\(quote(vector)),\(quote(JSONValue.object(record.payload).jsonString))\n"
        }
        try file.write(text)
    }

    /// A field quoted when it needs to be.
    static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.isEmpty else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
