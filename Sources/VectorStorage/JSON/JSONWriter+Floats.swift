extension JSONWriter {
    /// Writes `floats` as a JSON array (`[0.5,-0.0,1e-45]`), each element the shortest text that
    /// reads back to the identical bits (see ``FloatFormatting``).
    ///
    /// Digits are produced straight into a scratch buffer and appended in blocks, without a
    /// `String` per element.
    ///
    /// - Precondition: every element is finite.
    mutating func writeFloats(_ floats: UnsafeBufferPointer<Float>) {
        bytes.append(UInt8(ascii: "["))
        let blockSize = 512
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockSize * (FloatFormatting.maxLength + 1)) {
            scratch in
            let start = scratch.baseAddress!
            var index = 0
            while index < floats.count {
                let end = Swift.min(index + blockSize, floats.count)
                var p = start
                for element in index ..< end {
                    if element > 0 {
                        p[0] = UInt8(ascii: ",")
                        p += 1
                    }
                    p += FloatFormatting.write(floats[element], to: p)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: p - start))
                index = end
            }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `floats` as a JSON array, like the `UnsafeBufferPointer` overload.
    mutating func writeFloats(_ floats: [Float]) {
        floats.withUnsafeBufferPointer { writeFloats($0) }
    }
}
