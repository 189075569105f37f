// TEMPORARY: a bitwise CRC32C until the codec branch (hardware CRC32C) is merged.
enum Checksum {
    static func crc32c(_ buffer: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        for byte in buffer {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c >> 1) ^ (0x82F6_3B78 & (0 &- (c & 1))) }
        }
        return ~c
    }

    static func mask(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8 }
    static func unmask(_ masked: UInt32) -> UInt32 {
        let rot = masked &- 0xa282_ead8
        return (rot >> 17) | (rot << 15)
    }
}
