/// Streams a FAISS file to a caller's sink: small fields are gathered in a staging buffer, large
/// arrays go to the sink straight from the caller's memory (no second copy of the vectors).
///
/// Writes little-endian, FAISS's byte order on every platform it runs on (big-endian hosts swap
/// through the staging buffer).
struct FaissByteSink {
    private var staging: [UInt8] = []
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    /// Bytes handed to the sink or staged so far.
    private(set) var byteCount = 0

    /// Arrays smaller than this are staged rather than passed through.
    private static let passThroughThreshold = 16 * 1024

    init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
        staging.reserveCapacity(2 * Self.passThroughThreshold)
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { staging.append(contentsOf: $0) }
        byteCount += MemoryLayout<T>.size
    }

    mutating func append(_ tag: FaissFourCC) {
        append(tag.rawValue)
    }

    /// Appends a FAISS vector: its element count as a 64-bit integer, then the elements.
    mutating func appendVector<T: BitwiseCopyable>(_ elements: UnsafeBufferPointer<T>) throws {
        append(UInt64(elements.count))
        try appendElements(elements)
    }

    /// Appends the elements' bytes.
    mutating func appendElements<T: BitwiseCopyable>(_ elements: UnsafeBufferPointer<T>) throws {
        let raw = UnsafeRawBufferPointer(elements)
        byteCount += raw.count
        #if _endian(little)
        if raw.count < Self.passThroughThreshold {
            staging.append(contentsOf: raw)
            try flushIfLarge()
        } else {
            try flush()
            try sink(raw)
        }
        #else
        let size = MemoryLayout<T>.stride
        for start in stride(from: 0, to: raw.count, by: size) {
            staging.append(contentsOf: raw[start..<(start + size)].reversed())
            try flushIfLarge()
        }
        #endif
    }

    /// Hands every staged byte to the sink.
    mutating func flush() throws {
        guard !staging.isEmpty else { return }
        try staging.withUnsafeBytes { try sink($0) }
        staging.removeAll(keepingCapacity: true)
    }

    private mutating func flushIfLarge() throws {
        if staging.count >= Self.passThroughThreshold {
            try flush()
        }
    }
}
