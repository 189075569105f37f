/// The write-ahead log's on-disk format. All integers are little-endian.
///
/// The log is a sequence of segment files `wal-<first sequence number, 20 digits>.log` in the
/// persistence directory. A new segment starts at each checkpoint; segments wholly covered by a
/// durable checkpoint are deleted.
///
/// Segment header, 32 bytes:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `VSWAL\0\0\u{1}` |
/// | 8 | 2 | format version (1) |
/// | 10 | 2 | header length (32) |
/// | 12 | 4 | salt (random per segment; mixed into every record checksum) |
/// | 16 | 8 | sequence number of the segment's first record |
/// | 24 | 4 | reserved (0) |
/// | 28 | 4 | masked CRC32C of bytes 0..<28 |
///
/// Record, a 24-byte header then the body, packed back to back:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | masked CRC32C of the salt followed by bytes 4..<24+length |
/// | 4 | 4 | body length |
/// | 8 | 8 | sequence number (exactly the previous record's + 1; 0 for a checkpoint marker) |
/// | 16 | 1 | type: 1 upsert, 2 delete, 3 clear, 5 checkpoint marker (0 is never valid) |
/// | 17 | 1 | body format version (1) |
/// | 18 | 2 | flags (0) |
/// | 20 | 4 | reserved (0) |
///
/// Bodies: *upsert* = u32 count, u32 dimension, then per entry an id, `dimension` binary32 floats
/// and a payload (u32 length + ``BinaryPayloadCodec`` bytes); *delete* = u32 count + ids; *clear*
/// is empty; *checkpoint marker* = u64 checkpoint sequence number, u32 file count, per file a name
/// (u8 length + UTF-8), u64 size and u32 CRC32C. An id is u8 kind (0 string: u16 length + UTF-8;
/// 1 integer: i64).
///
/// The masking (LevelDB's: rotate right 15, add 0xa282ead8) keeps a CRC computed over bytes that
/// contain CRCs from validating by accident.
enum WALFormat {
    static let magic: [UInt8] = Array("VSWAL".utf8) + [0, 0, 1]
    static let version: UInt16 = 1
    static let segmentHeaderLength = 32
    static let recordHeaderLength = 24
    /// The largest record body accepted (a batch larger than this is refused before logging).
    static let maxRecordBodyLength = 1 << 30

    enum RecordType: UInt8 {
        case upsert = 1
        case delete = 2
        case clear = 3
        case checkpointMarker = 5
    }

    static let segmentPrefix = "wal-"
    static let segmentSuffix = ".log"

    /// The file name of the segment whose first record has sequence number `firstLSN`.
    static func segmentName(firstLSN: UInt64) -> String {
        let digits = String(firstLSN)
        return segmentPrefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + segmentSuffix
    }

    /// The first sequence number encoded in a segment's name, or `nil` if `name` is not a segment.
    static func firstLSN(ofSegment name: String) -> UInt64? {
        guard name.hasPrefix(segmentPrefix), name.hasSuffix(segmentSuffix) else { return nil }
        let digits = name.dropFirst(segmentPrefix.count).dropLast(segmentSuffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return UInt64(digits)
    }

    /// A segment header.
    static func segmentHeader(salt: UInt32, firstLSN: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: segmentHeaderLength)
        w.write(bytes: magic)
        w.write(version)
        w.write(UInt16(segmentHeaderLength))
        w.write(salt)
        w.write(firstLSN)
        w.write(UInt32(0))
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        w.write(CRC32C.mask(crc))
        return w.bytes
    }

    /// The checksum stored in a record header: over the salt, then the header after the checksum
    /// field and the body.
    static func recordChecksum(salt: UInt32, headerAndBody: UnsafeRawBufferPointer) -> UInt32 {
        var crc = withUnsafeBytes(of: salt.littleEndian) { CRC32C.checksum($0) }
        crc = CRC32C.extend(crc, UnsafeRawBufferPointer(rebasing: headerAndBody[4...]))
        return CRC32C.mask(crc)
    }
}

/// One checkpoint file's identity, as recorded in a checkpoint marker and in `ann_metadata.json`.
struct FileFingerprint: Sendable, Hashable {
    var size: UInt64
    var crc32c: UInt32
}

/// A log record announcing a checkpoint's files before they replace the old ones, so that at
/// recovery a file newer than `ann_metadata.json` is recognised as a checkpoint file (not damage).
struct CheckpointMarker: Sendable, Hashable {
    var checkpointLSN: UInt64
    var files: [String: FileFingerprint]
}
