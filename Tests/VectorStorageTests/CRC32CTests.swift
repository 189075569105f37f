import CStorageSupport
import Testing
@testable import VectorStorage

/// A small deterministic generator (SplitMix64) so every failure is reproducible.
private struct CRCTestRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}

private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = CRCTestRandom(state: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
}

/// Bit-at-a-time reference CRC32C, independent of the tables and instructions under test.
private func referenceCRC32C(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
        }
    }
    return ~crc
}

@Suite("CRC32C")
struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(vs_crc32c_extend_portable(0, "123456789", 9) == 0xE306_9283)
        #expect(vs_crc32c_extend_hardware(0, "123456789", 9) == 0xE306_9283)
    }

    @Test func emptyInputIsZeroAndExtendsNothing() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.extend(0x1234_5678, [UInt8]()) == 0x1234_5678)
    }

    /// RFC 3720 (iSCSI), appendix B.4.
    @Test(arguments: [
        ([UInt8](repeating: 0, count: 32), UInt32(0x8A91_36AA)),
        ([UInt8](repeating: 0xFF, count: 32), UInt32(0x62A8_AB43)),
        ((0..<32).map { UInt8($0) }, UInt32(0x46DD_794E)),
        ((0..<32).reversed().map { UInt8($0) }, UInt32(0x113F_DB5C)),
        ([0x01, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18,
          0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0], UInt32(0xD996_3A56)),
    ])
    func rfc3720Vectors(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
        #expect(bytes.withUnsafeBytes { vs_crc32c_extend_portable(0, $0.baseAddress, $0.count) } == expected)
        #expect(bytes.withUnsafeBytes { vs_crc32c_extend_hardware(0, $0.baseAddress, $0.count) } == expected)
    }

    /// Every length 0...300 at eight start alignments: hardware, portable and the bit-at-a-time
    /// reference agree.
    @Test func hardwareEqualsPortableForShortBuffers() {
        let pool = randomBytes(300 + 8, seed: 1)
        pool.withUnsafeBytes { raw in
            for alignment in 0..<8 {
                for length in 0...300 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<(alignment + length)])
                    let expected = referenceCRC32C(pool[alignment..<(alignment + length)])
                    let portable = vs_crc32c_extend_portable(0, slice.baseAddress, slice.count)
                    let hardware = vs_crc32c_extend_hardware(0, slice.baseAddress, slice.count)
                    #expect(portable == expected, "portable, length \(length), alignment \(alignment)")
                    #expect(hardware == expected, "hardware, length \(length), alignment \(alignment)")
                    #expect(CRC32C.checksum(slice) == expected)
                }
            }
        }
    }

    /// Lengths around the three-stream block sizes (3 × 256 and 3 × 8 KiB) and beyond, where the
    /// hardware code merges streams.
    @Test func hardwareEqualsPortableAroundBlockBoundaries() {
        let lengths = [767, 768, 769, 1535, 1536, 1537, 2400, 24_575, 24_576, 24_577,
                       24_576 + 768 + 13, 49_152, 100_003, 1 << 20]
        let pool = randomBytes((1 << 20) + 8, seed: 2)
        pool.withUnsafeBytes { raw in
            for length in lengths {
                for alignment in [0, 1, 3, 7] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<(alignment + length)])
                    let portable = vs_crc32c_extend_portable(0, slice.baseAddress, slice.count)
                    let hardware = vs_crc32c_extend_hardware(0, slice.baseAddress, slice.count)
                    #expect(hardware == portable, "length \(length), alignment \(alignment)")
                }
                if length <= 24_577 {
                    let slice = pool[0..<length]
                    #expect(CRC32C.checksum(Array(slice)) == referenceCRC32C(slice), "length \(length)")
                }
            }
        }
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = randomBytes(70_000, seed: 3)
        let oneShot = CRC32C.checksum(bytes)
        var random = CRCTestRandom(state: 4)
        for _ in 0..<50 {
            var crc = CRC32C()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 0...30_000, using: &random))
                bytes.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                start = end
            }
            #expect(crc.value == oneShot)
        }
        let split = 12_345
        let head = CRC32C.checksum(Array(bytes[..<split]))
        #expect(CRC32C.extend(head, Array(bytes[split...])) == oneShot)
        var continued = CRC32C(continuing: head)
        continued.update(Array(bytes[split...]))
        #expect(continued.value == oneShot)
    }

    @Test func maskMatchesLevelDB() {
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
        #expect(CRC32C.mask(0x1234_5678) == 0x4F73_0F40)
        #expect(CRC32C.mask(0xE306_9283) == 0xC78A_B0E5)
        var random = CRCTestRandom(state: 5)
        for _ in 0..<10_000 {
            let crc = UInt32.random(in: 0...UInt32.max, using: &random)
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
            #expect(CRC32C.mask(crc) != crc)
            #expect(CRC32C.mask(CRC32C.mask(crc)) != crc)
        }
    }

    @Test func implementationIsNamed() {
        let name = CRC32C.implementationName
        #expect(["x86-64 SSE4.2 (3-way)", "ARMv8 CRC32 (3-way)", "portable slicing-by-8"].contains(name))
        #expect((vs_crc32c_hardware_available() != 0) == (name != "portable slicing-by-8"))
    }
}
