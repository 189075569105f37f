import Foundation
import Testing
@testable import VectorStorage

/// B1/B2 for the write-ahead log: the last segment cut at every byte offset of its last three
/// records, and a bit flipped in every region of the log (segment header fields, each record's
/// header fields and body). A cut or a damaged last record is a torn tail (cut, its bytes copied
/// aside, the state the prefix before it); damage with good records after it refuses the open
/// with `corruptLog` naming the file and the record's offset, and `repair()` salvages the prefix.
@Suite(.serialized) struct CrashLogDamageTests {
    @Test(arguments: [false, true])
    func truncatingTheLastRecordsAtEveryOffset(afterCheckpoint: Bool) async throws {
        let f = afterCheckpoint
            ? try await CrashLogFixture.make(steps: 10, checkpointAfter: 8)
            : try await CrashLogFixture.make(steps: 14)
        let seg = f.lastSegment
        let segPath = f.path + "/" + seg
        let bounds = f.lastSegmentBoundaries
        let original = f.files[seg]!
        try #require(original.count == bounds.last!.offset && bounds.count >= 4)
        let start = bounds[bounds.count - 4].offset
        var failures = 0
        for cut in start..<original.count {
            f.restore()
            #expect(truncate(segPath, off_t(cut)) == 0)
            let boundary = bounds.last { $0.offset <= cut }!
            let context = "log cut at \(cut) (records end at \(bounds.map(\.offset)))"
            let store: InMemoryVectorStore
            do {
                store = try await f.open()
            } catch {
                Issue.record("\(context): open threw \(error)")
                failures += 1
                if failures > 3 { return } else { continue }
            }
            let actual = try await CrashInProcess.contents(store)
            let expected = f.models[boundary.model]
            #expect(actual == expected, "\(context): \(expected.differences(from: actual))")
            #expect(CrashFiles.size(segPath) == boundary.offset, "\(context): the torn tail was not cut at the last good record")
            let torn = CrashFiles.entries(f.path).filter { $0.hasPrefix(seg + ".torn-") }
            if cut > boundary.offset {
                #expect(torn.count == 1, "\(context): expected one copy of the torn tail, found \(torn)")
                if let name = torn.first {
                    #expect(CrashFiles.read(f.path + "/" + name) == Array(original[boundary.offset..<cut]),
                            "\(context): the copy aside does not hold the torn bytes")
                }
                #expect(store.persistenceHealth().recoveryWarnings.contains { $0.contains("torn") }, "\(context): no warning")
            } else {
                #expect(torn.isEmpty, "\(context): a cut at a record boundary is not a torn tail")
            }
            // The log continues from the cut: a new write lands after the last good record and
            // both survive a crash.
            let id: VectorID = "after-cut"
            try await store.insert([CrashStep.vector(99, id)], ids: [id], payloads: [["cut": .int(Int64(cut))]])
            await store.simulateCrashForTesting()
            let again = try await f.open()
            var next = expected
            next.entries[id] = .init(bits: CrashStep.vector(99, id).map(\.bitPattern), payload: ["cut": .int(Int64(cut))])
            let reread = try await CrashInProcess.contents(again)
            #expect(reread == next, "\(context), after a write and a crash: \(next.differences(from: reread))")
            await again.simulateCrashForTesting()
            if actual != expected || reread != next {
                failures += 1
                if failures > 3 { return }
            }
        }
    }

    /// Offsets of one byte in each field of the segment header and of every record.
    static func regions(boundaries: [Int]) -> [(offset: Int, what: String, record: Int?)] {
        var out: [(Int, String, Int?)] = []
        let header = [(0, "magic"), (8, "version"), (10, "header length"), (12, "salt"), (16, "first sequence number"),
                      (24, "reserved"), (28, "header checksum"), (31, "header checksum")]
        out += header.map { ($0.0, "segment header \($0.1)", nil) }
        for r in 0..<(boundaries.count - 1) {
            let s = boundaries[r], e = boundaries[r + 1]
            let fields = [(0, "checksum"), (3, "checksum"), (4, "length"), (7, "length"), (8, "sequence number"),
                          (15, "sequence number"), (16, "type"), (17, "body version"), (18, "flags"), (20, "reserved"),
                          (24, "body start"), ((e - s + 24) / 2, "body middle"), (e - s - 1, "body end")]
            out += fields.filter { s + $0.0 < e }.map { (s + $0.0, "record \(r) \($0.1)", r) }
        }
        return out
    }

    @Test func bitFlipsInEveryRegionOfTheLog() async throws {
        let f = try await CrashLogFixture.make(steps: 14, checkpointAfter: 4)
        let seg = f.lastSegment
        let segPath = f.path + "/" + seg
        let bounds = f.lastSegmentBoundaries  // header end, marker end, then each record's end
        let original = f.files[seg]!
        try #require(original.count == bounds.last!.offset)
        let firstLSN = try #require(WALFormat.firstLSN(ofSegment: seg))
        let recordStarts = bounds.dropLast().map(\.offset)
        var checked = 0
        for region in Self.regions(boundaries: bounds.map(\.offset)) {
            var bytes = original
            let bit = UInt8(1 << (region.offset % 8))
            bytes[region.offset] ^= bit
            f.restore()
            CrashFiles.write(segPath, bytes)
            let context = "bit \(region.offset % 8) of byte \(region.offset) (\(region.what)) flipped"
            let isLast = region.record == recordStarts.count - 1
            if isLast {
                // Damage in the last record cannot be told from a torn write: cut, copied aside.
                let store = try await f.open()
                let start = recordStarts[region.record!]
                let expected = f.models[bounds[region.record!].model]
                let actual = try await CrashInProcess.contents(store)
                #expect(actual == expected, "\(context): \(expected.differences(from: actual))")
                let torn = CrashFiles.entries(f.path).filter { $0.hasPrefix(seg + ".torn-") }
                #expect(torn.count == 1 && torn.first.map { CrashFiles.read(f.path + "/" + $0) } == Array(bytes[start...]),
                        "\(context): the damaged tail was not copied aside")
                await store.simulateCrashForTesting()
                checked += 1
                continue
            }
            // Mid-log damage: the open refuses, naming the file, the damaged record and the last
            // good sequence number (the segment's predecessor when nothing in it is readable).
            let damagedAt = region.record.map { recordStarts[$0] } ?? 0
            let lastGood = region.record.map { UInt64(bounds[$0].model) } ?? (firstLSN - 1)
            do {
                let store = try await f.open()
                let actual = try await CrashInProcess.contents(store)
                Issue.record("\(context): opened instead of refusing (\(actual.entries.count) vectors)")
                await store.simulateCrashForTesting()
                continue
            } catch let error as VectorStoreError {
                #expect(error == .corruptLog(path: segPath, offset: Int64(damagedAt), lastGoodSequence: lastGood),
                        "\(context): \(error)")
            }
            // Refusing changed nothing.
            #expect(CrashFiles.read(segPath) == bytes, "\(context): the refused open modified the log")
            // repair() salvages everything before the damage and keeps the damaged bytes aside.
            let repaired = try await f.open(repair: true)
            let salvage = f.models[Int(lastGood)]
            let actual = try await CrashInProcess.contents(repaired)
            #expect(actual == salvage, "\(context), after repair(): \(salvage.differences(from: actual))")
            let aside = CrashFiles.entries(f.path).filter { $0.hasPrefix(seg + ".") }
            let kept = aside.map { CrashFiles.read(f.path + "/" + $0) }
            #expect(kept.contains { $0 == bytes || $0 == Array(bytes[damagedAt...]) },
                    "\(context): repair() did not keep the damaged bytes (beside the log: \(aside))")
            // The repaired store takes writes, and they survive a crash.
            let id: VectorID = "after-repair"
            try await repaired.insert([CrashStep.vector(98, id)], ids: [id], payloads: nil)
            await repaired.simulateCrashForTesting()
            let reopened = try await f.open()
            var next = salvage
            next.entries[id] = .init(bits: CrashStep.vector(98, id).map(\.bitPattern), payload: [:])
            let reread = try await CrashInProcess.contents(reopened)
            #expect(reread == next, "\(context), reopened after repair: \(next.differences(from: reread))")
            await reopened.simulateCrashForTesting()
            checked += 1
        }
        #expect(checked >= 100)
    }

    /// A segment whose creation was interrupted (part of its header written, or all of it) at
    /// the end of the log: nothing of the log is lost, the half-made file is moved aside (never
    /// deleted), and the log goes on.
    @Test func halfCreatedLastSegment() async throws {
        let f = try await CrashLogFixture.make(steps: 6)
        let name = WALFormat.segmentName(firstLSN: 7)
        let header = WALFormat.segmentHeader(salt: 0x5eed_1234, firstLSN: 7)
        for length in [0, 1, 8, 16, 27, 31, 32] {
            f.restore(extra: [name: Array(header.prefix(length))])
            let context = "a new last segment with \(length) of its \(header.count) header bytes"
            let store = try await f.open()
            let actual = try await CrashInProcess.contents(store)
            #expect(actual == f.models[6], "\(context): \(f.models[6].differences(from: actual))")
            if length < header.count {
                let aside = CrashFiles.entries(f.path).filter { $0.hasPrefix(name + ".") }
                #expect(aside.count == 1 && aside.first.map { CrashFiles.read(f.path + "/" + $0) } == Array(header.prefix(length)),
                        "\(context): not moved aside intact: \(CrashFiles.entries(f.path))")
            }
            let id: VectorID = "after"
            try await store.insert([CrashStep.vector(97, id)], ids: [id], payloads: nil)
            await store.simulateCrashForTesting()
            let again = try await f.open()
            var next = f.models[6]
            next.entries[id] = .init(bits: CrashStep.vector(97, id).map(\.bitPattern), payload: [:])
            let reread = try await CrashInProcess.contents(again)
            #expect(reread == next, "\(context), after a write and a crash: \(next.differences(from: reread))")
            await again.simulateCrashForTesting()
        }
    }

    /// B3: zeros or random bytes after the last record (a file grown before its data was
    /// written) are a torn tail; a valid record after garbage is not (mid-log damage), nor is a
    /// zeroed block in the middle.
    @Test func zeroedAndGarbageRegions() async throws {
        let f = try await CrashLogFixture.make(steps: 8)
        let seg = f.lastSegment
        let segPath = f.path + "/" + seg
        let original = f.files[seg]!
        let bounds = f.lastSegmentBoundaries.map(\.offset)
        var random = CrashRandom(seed: 42)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for (what, tail) in [("4 KiB of zeros", [UInt8](repeating: 0, count: 4096)), ("4 KiB of random bytes", garbage)] {
            f.restore()
            CrashFiles.write(segPath, original + tail)
            let store = try await f.open()
            let actual = try await CrashInProcess.contents(store)
            #expect(actual == f.models[8], "\(what) after the last record: \(f.models[8].differences(from: actual))")
            #expect(CrashFiles.size(segPath) == original.count, "\(what): not cut at the last record")
            let torn = CrashFiles.entries(f.path).filter { $0.hasPrefix(seg + ".torn-") }
            #expect(torn.count == 1 && torn.first.map { CrashFiles.read(f.path + "/" + $0) } == tail, "\(what): not copied aside")
            await store.simulateCrashForTesting()
        }
        // Garbage, then a record that is valid in every respect (this segment's salt, the next
        // sequence number): records were lost in the middle, so the open must refuse.
        let salt = original[12..<16].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        var writer = ByteWriter()
        let id: VectorID = "late"
        WALRecordCodec.append(.upsert([UpsertEntry(id: id, vector: CrashStep.vector(9, id), payload: [:])]), lsn: 9, salt: salt, into: &writer)
        f.restore()
        CrashFiles.write(segPath, original + Array(garbage.prefix(100)) + writer.bytes)
        await #expect(throws: VectorStoreError.corruptLog(path: segPath, offset: Int64(original.count), lastGoodSequence: 8)) {
            let store = try await f.open()
            await store.simulateCrashForTesting()
        }
        // The same record right after the last one is simply the next record.
        f.restore()
        CrashFiles.write(segPath, original + writer.bytes)
        let extended = try await f.open()
        var expected = f.models[8]
        expected.entries[id] = .init(bits: CrashStep.vector(9, id).map(\.bitPattern), payload: [:])
        #expect(try await CrashInProcess.contents(extended) == expected)
        await extended.simulateCrashForTesting()
        // A zeroed block inside the fourth record.
        f.restore()
        var zeroed = original
        for i in (bounds[4] + 10)..<min(bounds[4] + 74, bounds[5]) { zeroed[i] = 0 }
        CrashFiles.write(segPath, zeroed)
        await #expect(throws: VectorStoreError.corruptLog(path: segPath, offset: Int64(bounds[4]), lastGoodSequence: 4)) {
            let store = try await f.open()
            await store.simulateCrashForTesting()
        }
    }

    /// Damage in an old segment that the checkpoint already covers (left behind by a crash
    /// between the checkpoint and the deletion of the segments it covers, or a failed deletion)
    /// concerns no record recovery needs: the open succeeds with everything, and `repair()` does
    /// not throw newer records away because of it either.
    @Test func damageInACoveredOldSegmentCostsNothing() async throws {
        let f = try await CrashLogFixture.make(steps: 12, checkpointAfter: 6)
        let (old, bytes) = try #require(f.segmentsBeforeCheckpoint.first)
        let ends = f.ends.filter { $0.segment == old }.map(\.size)
        try #require(ends.count >= 5 && f.segmentsBeforeCheckpoint.count == 1)
        for (what, offset) in [("segment header", 20), ("record 3", ends[2] + 30), ("record 5", ends[4] + 5)] {
            var damaged = bytes
            damaged[offset] ^= 0x10
            for repair in [false, true] {
                f.restore(extra: [old: damaged])
                let context = "\(what) of the covered segment \(old) damaged, \(repair ? "repair()" : "connect()")"
                let store: InMemoryVectorStore
                do {
                    store = try await f.open(repair: repair)
                } catch {
                    Issue.record("\(context): \(error)")
                    continue
                }
                let actual = try await CrashInProcess.contents(store)
                #expect(actual == f.models[12], "\(context): \(f.models[12].differences(from: actual))")
                #expect(store.persistenceHealth().quarantinedFiles.contains { $0.hasPrefix(old + ".corrupt-") },
                        "\(context): the damaged segment was not moved aside: \(store.persistenceHealth().quarantinedFiles)")
                await store.simulateCrashForTesting()
                // Nothing was deleted: the damaged segment is still there or kept aside.
                #expect(CrashFiles.entries(f.path).contains { $0.hasPrefix(old) }, "\(context): the damaged segment is gone")
            }
        }
    }
}
