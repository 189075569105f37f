/// Builds compact JSON text (UTF-8) in a byte buffer.
///
/// The writer does not track structure: callers emit brackets, commas and colons themselves with
/// the structural helpers, which keeps streaming writers (`[[id, [floats]], ...]`) simple and fast.
/// ``writeValue(_:)`` writes a whole ``JSONValue`` with sorted object keys, so files are
/// reproducible byte for byte.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginArray()
/// writer.writeID("doc-1")
/// writer.writeComma()
/// vector.withUnsafeBufferPointer { writer.writeFloats($0) }
/// writer.endArray()
/// // writer.bytes == Array(#"["doc-1",[0.5,-0.0,1e-45]]"#.utf8)
/// ```
///
/// Strings are escaped as JSON requires (`"`, `\`, and control characters below U+0020; `\n`,
/// `\t`, `\r`, `\b`, `\f` by name, others as `\u00XX`); everything else, non-ASCII included, is
/// written as raw UTF-8. Non-finite numbers are a precondition failure: validation upstream rejects
/// them.
struct JSONWriter {
    /// The JSON text written so far. Callers may drain it (for example after each chunk written to a
    /// file) with `bytes.removeAll(keepingCapacity: true)`.
    var bytes: [UInt8]

    /// A writer with an empty buffer that can hold `capacity` bytes before growing.
    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    /// Writes `[`.
    mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    /// Writes `]`.
    mutating func endArray() { bytes.append(UInt8(ascii: "]")) }
    /// Writes `{`.
    mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }
    /// Writes `}`.
    mutating func endObject() { bytes.append(UInt8(ascii: "}")) }
    /// Writes `,`.
    mutating func writeComma() { bytes.append(UInt8(ascii: ",")) }
    /// Writes `key` as a JSON string followed by `:`.
    mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Scalars

    /// Writes `null`.
    mutating func writeNull() { appendASCII("null") }

    /// Writes `true` or `false`.
    mutating func writeBool(_ value: Bool) { appendASCII(value ? "true" : "false") }

    /// Writes an integer in decimal.
    mutating func writeInt64(_ value: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            let count = JSONDecimalDigits.write(value, to: scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0 ..< count]))
        }
    }

    /// Writes a `Double` as the shortest text that reads back to the same bits (Swift's own
    /// shortest round-trip algorithm). Integral values keep a fraction or exponent (`2.0`, `1e+16`)
    /// so they read back as doubles, not integers.
    ///
    /// - Precondition: `value` is finite.
    mutating func writeDouble(_ value: Double) {
        precondition(value.isFinite, "JSONWriter cannot write a non-finite Double (\(value))")
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Writes a `Float` as the shortest text that reads back to the same bits (see
    /// ``FloatFormatting``).
    ///
    /// - Precondition: `value` is finite.
    mutating func writeFloat(_ value: Float) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: FloatFormatting.maxLength) { scratch in
            let count = FloatFormatting.write(value, to: scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0 ..< count]))
        }
    }

    /// Writes a string id as a JSON string and an integer id as a JSON number.
    mutating func writeID(_ id: VectorID) {
        switch id {
        case .string(let s): writeString(s)
        case .int(let i): writeInt64(i)
        }
    }

    /// Writes `value` as a JSON string with the required escapes.
    mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: Helpers

    private mutating func appendASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in utf8.indices {
            let byte = utf8[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
            if runStart < index {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index]))
            }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        if runStart < utf8.count {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }
}
