import Foundation

/// The `.fvecs` / `.bvecs` files of the ANN benchmark data sets (SIFT, GIST, ...): per vector, a
/// little-endian int32 dimension followed by that many float32 (`fvecs`) or uint8 (`bvecs`).
enum VecsFormat {
    static func read(_ path: String, bytes: Bool) throws -> FloatMatrix {
        let data = try readInput(path)
        let width = bytes ? 1 : 4
        var values: [Float] = []
        var dimension: Int?
        var offset = 0
        var row = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            while offset < raw.count {
                guard raw.count - offset >= 4 else {
                    throw formatError(path, "row \(row) (byte \(offset))", "truncated: \(raw.count - offset) bytes where a dimension was expected")
                }
                let d = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                guard d > 0 else { throw formatError(path, "row \(row) (byte \(offset))", "dimension \(d) is not positive") }
                if let dimension, d != dimension {
                    throw formatError(path, "row \(row) (byte \(offset))", "dimension \(d), but the rows before have \(dimension)")
                }
                dimension = d
                offset += 4
                guard raw.count - offset >= d * width else {
                    throw formatError(path, "row \(row) (byte \(offset))", "truncated: \(raw.count - offset) bytes for \(d) components")
                }
                if values.isEmpty { values.reserveCapacity(raw.count / (4 + d * width) * d) }
                for i in 0..<d {
                    if bytes {
                        values.append(Float(raw[offset + i]))
                    } else {
                        values.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))))
                    }
                }
                offset += d * width
                row += 1
            }
        }
        return FloatMatrix(rows: row, dimension: dimension ?? 0, values: values)
    }

    static func writeFloats(_ matrix: FloatMatrix, to file: OutputFile) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(matrix.rows * (4 + 4 * matrix.dimension))
        for r in 0..<matrix.rows {
            withUnsafeBytes(of: Int32(matrix.dimension).littleEndian) { bytes += $0 }
            for value in matrix.values[(r * matrix.dimension)..<((r + 1) * matrix.dimension)] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        try file.write(bytes)
    }
}

/// Raw little-endian float32, row-major, no header (`.f32`, `.bin`): the dimension comes from
/// the command line or the collection.
enum RawFloatFormat {
    static func read(_ path: String, dimension: Int) throws -> FloatMatrix {
        let data = try readInput(path)
        guard dimension > 0, data.count % (4 * dimension) == 0 else {
            throw formatError(path, "size", "\(data.count) bytes is not a whole number of rows of \(dimension) float32")
        }
        let count = data.count / 4
        let values = data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        return FloatMatrix(rows: count / dimension, dimension: dimension, values: values)
    }

    static func write(_ matrix: FloatMatrix, to file: OutputFile) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(matrix.values.count * 4)
        for value in matrix.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        try file.write(bytes)
    }
}
