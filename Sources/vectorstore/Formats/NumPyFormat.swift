import Foundation

/// NumPy's `.npy` file (format versions 1 to 3): a 2-D array of `float32` or `float64`
/// (`<f4`, `<f8`, or big-endian `>f4`, `>f8`) in C order, one row per vector; a 1-D array is one
/// vector. Written as version 1.0 `<f4`, the header padded so the data starts on a 64-byte
/// boundary, as `numpy.save` does.
enum NumPyFormat {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    static func read(_ path: String) throws -> FloatMatrix {
        let data = try readInput(path)
        func fail(_ location: String, _ reason: String) -> ToolError { formatError(path, location, reason) }
        guard data.count >= 10, data.prefix(6).elementsEqual(magic) else {
            throw fail("header", "not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = data[data.startIndex + 6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
            headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw fail("header", "truncated") }
            headerLength = Int(data.uint32LE(at: 8))
            headerStart = 12
        default:
            throw fail("header", "format version \(major) is not supported (1, 2 or 3)")
        }
        guard headerStart + headerLength <= data.count else { throw fail("header", "truncated") }
        let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) else {
            throw fail("header", "no 'descr' in \(header)")
        }
        if value(of: "fortran_order", in: header) == "True" {
            throw fail("header", "the array is in Fortran order; save it in C order (numpy.ascontiguousarray)")
        }
        guard let shapeText = value(of: "shape", in: header) else { throw fail("header", "no 'shape' in \(header)") }
        let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dims = shape.compactMap { Int($0) }
        guard dims.count == shape.count, dims.count == 1 || dims.count == 2 else {
            throw fail("header", "shape \(shapeText) is not 1-D or 2-D")
        }
        let rows = dims.count == 2 ? dims[0] : 1
        let dimension = dims.last!
        let width: Int
        let bigEndian: Bool
        switch descr {
        case "<f4", "=f4", "|f4": (width, bigEndian) = (4, false)
        case ">f4": (width, bigEndian) = (4, true)
        case "<f8", "=f8", "|f8": (width, bigEndian) = (8, false)
        case ">f8": (width, bigEndian) = (8, true)
        default: throw fail("header", "dtype \(descr) is not supported (float32 or float64)")
        }
        let start = headerStart + headerLength
        let expected = rows * dimension * width
        guard data.count - start == expected else {
            throw fail("data", "\(data.count - start) bytes of data, but shape \(shapeText) of \(descr) needs \(expected)")
        }
        var values = [Float](repeating: 0, count: rows * dimension)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for i in 0..<values.count {
                let offset = start + i * width
                if width == 4 {
                    let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                    values[i] = Float(bitPattern: bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits))
                } else {
                    let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    let double = Double(bitPattern: bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits))
                    let float = Float(double)
                    if double.isFinite && !float.isFinite {
                        throw fail("row \(i / dimension), column \(i % dimension)", "\(double) is beyond float32's range")
                    }
                    values[i] = float
                }
            }
        }
        return FloatMatrix(rows: rows, dimension: dimension, values: values)
    }

    /// The text after `'key':` in a header dict, up to the next top-level comma.
    static func value(of key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") ?? header.range(of: "\"\(key)\":") else { return nil }
        var depth = 0
        var result = ""
        for c in header[range.upperBound...] {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if (c == "," && depth == 0) || c == "}" { break }
            result.append(c)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    static func write(_ matrix: FloatMatrix, to file: OutputFile) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(matrix.rows), \(matrix.dimension)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = magic + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + matrix.values.count * 4)
        for value in matrix.values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
        try file.write(bytes)
    }
}
