/// A bounds-checked cursor over the bytes of a FAISS file. Every read checks the remaining length
/// first and throws ``FaissFormatError`` with the offset and the field name; arrays are sized from
/// counts that were checked against the remaining bytes, so nothing is allocated beyond what the
/// input itself holds.
///
/// FAISS writes its fields in the CPU's byte order; every platform FAISS and this package run on
/// is little-endian, which is the order read here (big-endian hosts swap).
struct FaissByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes left after `offset`.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, for field: String) throws(FaissFormatError) {
        guard count <= remaining else {
            throw FaissFormatError(
                offset: offset, field: field, problem: .truncated(needed: count, available: remaining))
        }
    }

    /// Reads one little-endian integer.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ field: String) throws(FaissFormatError) -> T {
        try require(MemoryLayout<T>.size, for: field)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// Reads a class tag and throws unless it is one of `expected`.
    mutating func readTag(_ field: String, expected: [FaissFourCC]) throws(FaissFormatError) -> FaissFourCC {
        let start = offset
        let tag = FaissFourCC(rawValue: try read(UInt32.self, field))
        guard expected.contains(tag) else {
            throw FaissFormatError(
                offset: start, field: field,
                problem: .unexpectedTag(found: tag.description, expected: expected.map(\.description)))
        }
        return tag
    }

    /// Reads the 64-bit element count that starts a FAISS vector (`WRITEVECTOR`), and checks that
    /// `count × elementSize` bytes follow. Returns the count and the offset of the first element.
    mutating func readCount(
        _ field: String, elementSize: Int
    ) throws(FaissFormatError) -> (count: Int, dataOffset: Int) {
        let countOffset = offset
        let raw = try read(UInt64.self, field + ".count")
        let (bytes, overflow) = raw.multipliedReportingOverflow(by: UInt64(elementSize))
        guard !overflow, bytes <= UInt64(remaining) else {
            throw FaissFormatError(
                offset: countOffset, field: field + ".count",
                problem: .invalidValue(
                    "\(raw) elements of \(elementSize) bytes do not fit in the \(remaining) bytes left"))
        }
        return (Int(raw), offset)
    }

    /// Steps over `count` bytes (checked to be there).
    mutating func skip(_ count: Int, _ field: String) throws(FaissFormatError) {
        try require(count, for: field)
        offset += count
    }

    /// Reads `count` elements whose bytes were already checked by ``readCount(_:elementSize:)``.
    mutating func readArray<T: BitwiseCopyable>(of _: T.Type, count: Int, _ field: String) throws(FaissFormatError) -> [T] {
        let size = count * MemoryLayout<T>.stride
        try require(size, for: field)
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
        let array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let destination = UnsafeMutableRawBufferPointer(buffer)
            destination.copyMemory(from: source)
            #if _endian(big)
            for start in stride(from: 0, to: size, by: MemoryLayout<T>.stride) {
                destination[start..<(start + MemoryLayout<T>.stride)].reverse()
            }
            #endif
            initialized = count
        }
        offset += size
        return array
    }
}
