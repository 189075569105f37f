/// A FAISS "fourcc": the four ASCII characters that name the class of a serialised index, stored
/// as they read (FAISS packs them little-endian into a `uint32_t`, first character lowest).
struct FaissFourCC: Hashable, Sendable, CustomStringConvertible {
    /// The tag as FAISS's `fourcc()` packs it: first character in the low byte.
    let rawValue: UInt32

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// A tag from four ASCII characters.
    init(_ text: StaticString) {
        precondition(text.utf8CodeUnitCount == 4, "a fourcc has four characters")
        let bytes = UnsafeBufferPointer(start: text.utf8Start, count: 4)
        rawValue = bytes.reversed().reduce(0) { ($0 << 8) | UInt32($1) }
    }

    /// `IndexIDMap2`: an id map whose reverse map FAISS rebuilds on load.
    static let idMap2 = FaissFourCC("IxM2")
    /// `IndexHNSWFlat`: an HNSW graph over an `IndexFlat` storage.
    static let hnswFlat = FaissFourCC("IHNf")
    /// `IndexFlatIP`.
    static let flatInnerProduct = FaissFourCC("IxFI")
    /// `IndexFlatL2`.
    static let flatL2 = FaissFourCC("IxF2")

    /// The four characters, with bytes outside printable ASCII shown as `\xNN`.
    var description: String {
        (0..<4).map { shift -> String in
            let byte = UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32(shift)))
            return (0x20..<0x7F).contains(byte)
                ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }
}
