/// CRC32C entry points used by the persistence code (forwarding to ``CRC32C``).
enum Checksum {
    @inline(__always)
    static func crc32c(_ buffer: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        CRC32C.extend(crc, buffer)
    }

    @inline(__always) static func mask(_ crc: UInt32) -> UInt32 { CRC32C.mask(crc) }
    @inline(__always) static func unmask(_ masked: UInt32) -> UInt32 { CRC32C.unmask(masked) }
}
