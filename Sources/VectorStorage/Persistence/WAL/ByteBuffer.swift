import Foundation

/// Little-endian binary encoding into a growing byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(_ value: UInt8) { bytes.append(value) }
    mutating func write(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    mutating func write(_ value: Double) { write(value.bitPattern) }
    mutating func write<C: Collection>(bytes other: C) where C.Element == UInt8 { bytes.append(contentsOf: other) }

    /// Appends floats as IEEE-754 binary32, little-endian.
    mutating func write(floats: [Float]) {
        #if _endian(little)
        floats.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for f in floats { write(f.bitPattern) }
        #endif
    }

    /// Overwrites 4 bytes at `offset`.
    mutating func patch(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for i in 0..<4 { bytes[offset + i] = raw[i] }
        }
    }
}

/// Bounds-checked little-endian decoding from a byte buffer: every read checks the remaining
/// length first and throws instead of trapping, so damaged input can never crash the process.
struct ByteReader {
    struct OutOfBounds: Error {
        var offset: Int
        var wanted: Int
    }

    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    mutating func require(_ count: Int) throws {
        guard count >= 0, count <= remaining else { throw OutOfBounds(offset: offset, wanted: count) }
    }

    mutating func readUInt8() throws -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func readUInt16() throws -> UInt16 {
        try require(2)
        defer { offset += 2 }
        return UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    mutating func readUInt32() throws -> UInt32 {
        try require(4)
        defer { offset += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readUInt64() throws -> UInt64 {
        try require(8)
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readUInt64()) }
    mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }

    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        try require(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    mutating func readString(count: Int) throws -> String? {
        let raw = try readBytes(count)
        return String(bytes: raw, encoding: .utf8)
    }

    /// Reads `count` little-endian binary32 floats.
    mutating func readFloats(_ count: Int) throws -> [Float] {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw OutOfBounds(offset: offset, wanted: Int.max) }
        let raw = try readBytes(bytes)
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            #if _endian(little)
            UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
            #else
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            #endif
            initialized = count
        }
    }
}
