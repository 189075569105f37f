/// What recovery needs to know about one log segment.
struct WALSegmentInfo: Sendable, Hashable {
    var name: String
    var firstLSN: UInt64
    var salt: UInt32
    /// The end of the last good record (where appends continue).
    var endOffset: Int64
    /// The file's size when it was read.
    var fileSize: Int64
}

/// A stretch of the log that cannot be read while readable segments follow it: the records
/// after `lastGood` and before `resumesAt` are lost. Harmless when a checkpoint holds them.
struct WALGap: Sendable {
    /// The last sequence number before the gap known to be good.
    var lastGood: UInt64
    /// The first sequence number readable again (the next segment's first).
    var resumesAt: UInt64
    /// What to report when recovery needs the lost records.
    var error: VectorStoreError
    /// The damaged segment (`nil` when a whole segment is missing).
    var segment: String?
}

/// The result of reading every log segment.
struct WALScan {
    /// Every good operation record, in sequence order.
    var records: [(lsn: UInt64, operation: WriteOperation)] = []
    /// Every checkpoint marker, in log order.
    var markers: [CheckpointMarker] = []
    /// The segments in order (the last one is where appends continue).
    var segments: [WALSegmentInfo] = []
    /// The sequence number of the last good record (0 if none).
    var lastLSN: UInt64 = 0
    /// A damaged tail of the last segment that no good record follows (a crash mid-append):
    /// safe to cut. `(segment name, offset, length)`.
    var tornTail: (segment: String, offset: Int64, length: Int64)?
    /// Segments that were created but whose header never became complete (a crash mid-creation),
    /// and, when salvaging, the segments after the first damage.
    var incompleteSegments: [String] = []
    /// Unreadable stretches followed by readable segments (never when salvaging).
    var gaps: [WALGap] = []
}

/// Reads and checks the log segments of a directory.
enum WALReader {
    /// Reads every segment, checks every record, and classifies each bad one: a torn tail (the
    /// end of the last segment, with no good record after it) is reported for cutting; damage in
    /// the last segment with good records after it throws
    /// ``VectorStoreError/corruptLog(path:offset:lastGoodSequence:)``; damage in an earlier
    /// segment, or a segment missing, is reported as a gap and reading goes on with the next
    /// segment (recovery refuses when it needs the lost records, and ignores them when a
    /// checkpoint holds them).
    ///
    /// - Parameter salvage: instead, stop at the first damage of any kind as if it were a torn
    ///   tail (used by `repair()`); later segments are reported as incomplete (set aside).
    static func scan(_ directory: Directory, names: [String], salvage: Bool = false) throws -> WALScan {
        let segments = names.compactMap { name in WALFormat.firstLSN(ofSegment: name).map { (name, $0) } }
            .sorted { $0.1 < $1.1 }
        var scan = WALScan()
        var expected: UInt64? = nil
        for (position, (name, firstLSN)) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let path = directory.file(name)
            let bytes = try PosixFile.openForReading(path).readAll()
            // Everything before this segment's first record is covered by a checkpoint (segments
            // are deleted only then), so it is good even when nothing in this segment is.
            func lastGood() -> UInt64 { max(scan.lastLSN, firstLSN > 0 ? firstLSN - 1 : 0) }
            /// Stops a salvaging scan at this segment: it (from `offset` on, or whole) and every
            /// later one are set aside.
            func stopSalvaging(keepingThisSegment: Bool) {
                let from = keepingThisSegment ? position + 1 : position
                if from < segments.count { scan.incompleteSegments.append(contentsOf: segments[from...].map(\.0)) }
            }

            enum Outcome {
                case done
                /// Damage at `offset`; `torn`: nothing good follows in the last segment.
                case damaged(offset: Int64, torn: Bool)
                case badHeader(offset: Int64)
            }
            // A segment missing before this one (records expected and not there).
            if let e = expected, firstLSN > e {
                let error = VectorStoreError.corruptFile(
                    path: path, reason: "log records \(e) to \(firstLSN - 1) are missing (a segment was removed)")
                if salvage {
                    stopSalvaging(keepingThisSegment: false)
                    break
                }
                scan.gaps.append(WALGap(lastGood: e - 1, resumesAt: firstLSN, error: error, segment: nil))
                expected = nil
            }
            let outcome = bytes.withUnsafeBytes { raw -> Outcome in
                guard let header = parseHeader(raw) else {
                    // A header that never became complete can only be the last segment's, from a
                    // crash while it was being created; it holds no record.
                    if isLast && raw.count <= WALFormat.segmentHeaderLength {
                        scan.incompleteSegments.append(name)
                        return .done
                    }
                    return .badHeader(offset: 0)
                }
                guard header.firstLSN == firstLSN else { return .badHeader(offset: 16) }
                var offset = WALFormat.segmentHeaderLength
                var next = expected ?? firstLSN
                while offset < raw.count {
                    guard let record = parseRecord(raw, at: offset, salt: header.salt, expectedLSN: next) else { break }
                    do {
                        if record.type == .checkpointMarker {
                            scan.markers.append(try WALRecordCodec.decodeMarker(body: record.body))
                        } else {
                            scan.records.append((record.lsn, try WALRecordCodec.decodeOperation(type: record.type, body: record.body)))
                            next = record.lsn + 1
                            scan.lastLSN = record.lsn
                        }
                    } catch {
                        break  // a checksummed record we cannot decode: treat as damage here
                    }
                    offset = record.end
                }
                expected = next
                scan.segments.append(WALSegmentInfo(
                    name: name, firstLSN: firstLSN, salt: header.salt, endOffset: Int64(offset),
                    fileSize: Int64(raw.count)))
                if offset == raw.count { return .done }
                // Something that is not a good record follows. It is a torn tail only if no good
                // record (right salt, a later sequence number) appears anywhere after it.
                let laterGood = !isLast || hasGoodRecord(raw, after: offset, salt: header.salt, minimumLSN: next)
                return .damaged(offset: Int64(offset), torn: !laterGood)
            }
            switch outcome {
            case .done:
                continue
            case .damaged(let offset, true):
                scan.tornTail = (name, offset, Int64(bytes.count) - offset)
            case .damaged(let offset, false):
                if salvage {
                    scan.tornTail = (name, offset, Int64(bytes.count) - offset)
                    stopSalvaging(keepingThisSegment: true)
                    return scan
                }
                let error = VectorStoreError.corruptLog(path: path, offset: offset, lastGoodSequence: lastGood())
                if isLast { throw error }
                scan.gaps.append(WALGap(lastGood: lastGood(), resumesAt: segments[position + 1].1, error: error, segment: name))
                expected = nil
            case .badHeader(let offset):
                if salvage {
                    stopSalvaging(keepingThisSegment: false)
                    return scan
                }
                let error = VectorStoreError.corruptLog(path: path, offset: offset, lastGoodSequence: lastGood())
                if isLast { throw error }
                scan.gaps.append(WALGap(lastGood: lastGood(), resumesAt: segments[position + 1].1, error: error, segment: name))
                expected = nil
            }
        }
        return scan
    }

    struct SegmentHeader {
        var salt: UInt32
        var firstLSN: UInt64
    }

    static func parseHeader(_ raw: UnsafeRawBufferPointer) -> SegmentHeader? {
        guard raw.count >= WALFormat.segmentHeaderLength,
              raw.prefix(8).elementsEqual(WALFormat.magic)
        else { return nil }
        var r = ByteReader(raw, offset: 8)
        guard let version = try? r.readUInt16(), version == WALFormat.version,
              let length = try? r.readUInt16(), Int(length) == WALFormat.segmentHeaderLength,
              let salt = try? r.readUInt32(), let first = try? r.readUInt64(), (try? r.readUInt32()) != nil,
              let stored = try? r.readUInt32()
        else { return nil }
        let crc = CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<28])))
        guard crc == stored else { return nil }
        return SegmentHeader(salt: salt, firstLSN: first)
    }

    struct RawRecord {
        var lsn: UInt64
        var type: WALFormat.RecordType
        var body: UnsafeRawBufferPointer
        var end: Int
    }

    /// The record at `offset` if it is complete and intact and carries the expected sequence
    /// number (or is a checkpoint marker).
    static func parseRecord(_ raw: UnsafeRawBufferPointer, at offset: Int, salt: UInt32, expectedLSN: UInt64?) -> RawRecord? {
        guard raw.count - offset >= WALFormat.recordHeaderLength else { return nil }
        var r = ByteReader(raw, offset: offset)
        guard let stored = try? r.readUInt32(), let length = try? r.readUInt32(),
              Int(length) <= WALFormat.maxRecordBodyLength,
              Int(length) <= raw.count - offset - WALFormat.recordHeaderLength,
              let lsn = try? r.readUInt64(), let typeByte = try? r.readUInt8(),
              let type = WALFormat.RecordType(rawValue: typeByte), (try? r.readUInt8()) == 1
        else { return nil }
        let end = offset + WALFormat.recordHeaderLength + Int(length)
        let crc = WALFormat.recordChecksum(salt: salt, headerAndBody: UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
        guard crc == stored else { return nil }
        if type == .checkpointMarker {
            guard lsn == 0 else { return nil }
        } else if let expectedLSN, lsn != expectedLSN {
            return nil
        }
        let body = UnsafeRawBufferPointer(rebasing: raw[(offset + WALFormat.recordHeaderLength)..<end])
        return RawRecord(lsn: lsn, type: type, body: body, end: end)
    }

    /// Whether a good record with sequence number ≥ `minimumLSN` starts anywhere after `offset`.
    static func hasGoodRecord(_ raw: UnsafeRawBufferPointer, after offset: Int, salt: UInt32, minimumLSN: UInt64) -> Bool {
        var candidate = offset + 1
        while candidate + WALFormat.recordHeaderLength <= raw.count {
            if let record = parseRecord(raw, at: candidate, salt: salt, expectedLSN: nil),
               record.type == .checkpointMarker || record.lsn >= minimumLSN
            {
                return true
            }
            candidate += 1
        }
        return false
    }
}
