import Foundation
import VectorStorage

/// JSON Lines, the shape `InMemoryVectorStore.exportJSONL` writes: one
/// `{"id": "doc1", "vector": [0.1, ...], "payload": {...}}` per line (blank lines skipped).
enum JSONLinesFormat {
    static func read(_ path: String, progress: ProgressReporter) throws -> ImportedRows {
        let data = try readInput(path)
        var rows = ImportedRows(hasIDs: true)
        var lines: [Int] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var start = 0
            var lineNumber = 0
            while start < raw.count {
                var end = start
                while end < raw.count && raw[end] != UInt8(ascii: "\n") { end += 1 }
                lineNumber += 1
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                if lineNumber % 1024 == 0 { progress.update(start) }
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                do {
                    rows.records.append(try VectorRecord(jsonLine: line))
                    lines.append(lineNumber)
                } catch {
                    throw formatError(path, "line \(lineNumber)", "\(error)")
                }
            }
        }
        let name = path
        rows.label = { [lines] in "line \(lines[$0]) of \(name)" }
        return rows
    }

    static func write(_ records: [VectorRecord], to file: OutputFile) throws {
        var bytes: [UInt8] = []
        for record in records {
            bytes += record.jsonLine
            bytes.append(UInt8(ascii: "\n"))
        }
        try file.write(bytes)
    }
}
