import CStorageSupport

/// CRC32C (Castagnoli), the checksum of iSCSI (RFC 3720), ext4, LevelDB and RocksDB; check value
/// `CRC32C.checksum("123456789") == 0xE306_9283`.
///
/// The bytes are processed by the `CStorageSupport` C target, which picks once, on first use, the
/// fastest implementation the CPU supports: SSE4.2 `crc32` on x86-64 or the CRC32 extension on
/// ARMv8 (three interleaved streams for long buffers), else a portable slicing-by-8 version.
///
/// Use the static functions for one-shot or continued checksums, or a `CRC32C` value to
/// accumulate over several buffers:
///
/// ```swift
/// var crc = CRC32C()
/// crc.update(header)
/// crc.update(body)
/// let stored = CRC32C.mask(crc.value)
/// ```
package struct CRC32C: Sendable, Hashable {
    /// The CRC32C of every byte passed to `update(_:)` so far
    /// (0 before any byte).
    package private(set) var value: UInt32

    /// Starts a checksum, either fresh (`0`) or continuing a finished CRC32C `value`.
    package init(continuing value: UInt32 = 0) {
        self.value = value
    }

    /// Appends `bytes` to the checksummed data.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = Self.extend(value, bytes)
    }

    /// Appends `bytes` to the checksummed data.
    package mutating func update(_ bytes: [UInt8]) {
        value = Self.extend(value, bytes)
    }

    /// The CRC32C of `bytes`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC32C of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC32C of the UTF-8 bytes of `text`.
    package static func checksum(_ text: String) -> UInt32 {
        var text = text
        return text.withUTF8 { extend(0, UnsafeRawBufferPointer($0)) }
    }

    /// Continues a finished CRC32C: `extend(checksum(a), b) == checksum(a + b)`.
    package static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        vs_crc32c_extend(crc, bytes.baseAddress, bytes.count)
    }

    /// Continues a finished CRC32C: `extend(checksum(a), b) == checksum(a + b)`.
    package static func extend(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { extend(crc, $0) }
    }

    /// LevelDB's masking of a stored CRC (rotate right by 15 bits, add `0xA282_EAD8`), so that the
    /// CRC of data that itself contains CRCs does not degenerate. Inverse: ``unmask(_:)``.
    package static func mask(_ crc: UInt32) -> UInt32 {
        ((crc &>> 15) | (crc &<< 17)) &+ maskDelta
    }

    /// Undoes ``mask(_:)``.
    package static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- maskDelta
        return (rotated &>> 17) | (rotated &<< 15)
    }

    /// The implementation the CPU dispatch chose, for logs and benchmarks:
    /// "x86-64 SSE4.2 (3-way)", "ARMv8 CRC32 (3-way)" or "portable slicing-by-8".
    package static var implementationName: String {
        String(cString: vs_crc32c_implementation_name())
    }

    private static let maskDelta: UInt32 = 0xA282_EAD8
}
