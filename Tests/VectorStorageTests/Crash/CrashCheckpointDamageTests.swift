import Foundation
import Testing
@testable import VectorStorage

/// B1/B2 for the checkpoint files: every file (`payloads.json`, `ann_vectors.bin`,
/// `ann_index.faiss`, `ann_metadata.json`) flipped at bytes spread over it, and truncated. Each
/// damage must be detected: the file is moved aside (never deleted) and, when the log still
/// covers the history, nothing is lost; when it does not and the data cannot be had elsewhere,
/// the open refuses with a typed error instead of opening with less (and `repair()` opens with
/// what remains). Never a crash, never silently wrong data.
@Suite(.serialized) struct CrashCheckpointDamageTests {
    static let files = ["payloads.json", "ann_vectors.bin", "ann_index.faiss", "ann_metadata.json"]

    enum Damage: CustomStringConvertible {
        case flip(offset: Int, bit: Int)
        case truncate(Int)

        var description: String {
            switch self {
            case .flip(let o, let b): return "bit \(b) of byte \(o) flipped"
            case .truncate(let n): return "truncated to \(n) bytes"
            }
        }

        func apply(to bytes: [UInt8]) -> [UInt8] {
            var b = bytes
            switch self {
            case .flip(let o, let bit): b[o] ^= UInt8(1 << bit)
            case .truncate(let n): b.removeSubrange(n...)
            }
            return b
        }
    }

    static func damages(for bytes: [UInt8], name: String) -> [Damage] {
        let n = bytes.count
        var offsets = [0, 1, 9, n / 7, n / 5, 2 * n / 5, n / 2, 3 * n / 5, 4 * n / 5, 6 * n / 7, n - 2, n - 1]
        if name == "ann_metadata.json" {
            // Inside the self-checksum's key and value: a file that loses its checksum must not
            // pass as the seed's unchecked format.
            let needle = Array("\"checksum\":\"crc32c:".utf8)
            if let at = (0...(n - needle.count)).last(where: { Array(bytes[$0..<($0 + needle.count)]) == needle }) {
                offsets += [at + 2, at + 13, at + needle.count + 3]
            }
        }
        var out = Set(offsets.filter { $0 >= 0 && $0 < n }).sorted().map { Damage.flip(offset: $0, bit: $0 % 8) }
        out += [.truncate(0), .truncate(n / 2), .truncate(n - 1)]
        return out
    }

    /// The checkpoint's files are damaged but the log still holds every operation from the first
    /// (a crash before the covered segments were deleted leaves exactly this): nothing is lost.
    @Test func damagedCheckpointFileWithTheLogCoveringTheHistory() async throws {
        let f = try await CrashLogFixture.make(steps: 9, checkpointAfter: 6)
        try #require(!f.segmentsBeforeCheckpoint.isEmpty)
        let expected = f.models[9]
        for name in Self.files {
            let original = try #require(f.files[name], "\(name) was not written")
            for damage in Self.damages(for: original, name: name) {
                let damaged = damage.apply(to: original)
                f.restore(extra: f.segmentsBeforeCheckpoint)
                CrashFiles.write(f.path + "/" + name, damaged)
                let context = "\(name) \(damage), log covering everything"
                let store: InMemoryVectorStore
                do {
                    store = try await f.open()
                } catch {
                    Issue.record("\(context): open threw \(error)")
                    continue
                }
                let actual = try await CrashInProcess.contents(store)
                #expect(actual == expected, "\(context): \(expected.differences(from: actual))")
                try Self.expectMovedAside(name, damaged, store: store, path: f.path, context: context)
                // The next checkpoint writes the file anew, and the result reopens intact.
                try await store.disconnect()
                let reopened = try await f.open()
                let again = try await CrashInProcess.contents(reopened)
                #expect(again == expected, "\(context), after a clean close: \(expected.differences(from: again))")
                #expect(reopened.persistenceHealth().quarantinedFiles.isEmpty)
                await reopened.simulateCrashForTesting()
            }
        }
    }

    /// The log no longer covers the checkpoint (its segments were deleted, as after every
    /// successful checkpoint). Vectors exist twice (binary file and the metadata's inline copy),
    /// the graph can be rebuilt and the metadata's fingerprints are repeated in the log's marker,
    /// so those three are recovered whole; the payloads exist only in `payloads.json`: damage there
    /// opens the vectors with the loss reported and the damaged file kept aside.
    @Test func damagedCheckpointFileWithoutLogCoverage() async throws {
        let f = try await CrashLogFixture.make(steps: 9, checkpointAfter: 6)
        let expected = f.models[9]
        for name in Self.files {
            let original = try #require(f.files[name])
            for damage in Self.damages(for: original, name: name) {
                let damaged = damage.apply(to: original)
                f.restore()
                CrashFiles.write(f.path + "/" + name, damaged)
                let context = "\(name) \(damage), log not covering the checkpoint"
                if name == "payloads.json" {
                    // The only copy: the collection opens with its vectors (the documented rule:
                    // open with what is readable), the loss reported, the file kept aside.
                    let store = try await f.open()
                    let actual = try await CrashInProcess.contents(store)
                    #expect(Set(actual.entries.keys) == Set(expected.entries.keys), "\(context): ids")
                    for (id, e) in expected.entries {
                        #expect(actual.entries[id]?.bits == e.bits, "\(context): vector of \(id)")
                        // Ids the log rewrote since the checkpoint keep their payloads exactly.
                        if f.rewrittenAfterCheckpoint.contains(id) {
                            #expect(actual.entries[id]?.payload == e.payload, "\(context): payload of \(id), rewritten by the log")
                        }
                    }
                    #expect(store.persistenceHealth().recoveryWarnings.contains { $0.contains("payloads") },
                            "\(context): the lost payloads are not reported")
                    try Self.expectMovedAside(name, damaged, store: store, path: f.path, context: context)
                    await store.simulateCrashForTesting()
                    continue
                }
                let store: InMemoryVectorStore
                do {
                    store = try await f.open()
                } catch {
                    Issue.record("\(context): open threw \(error)")
                    continue
                }
                let actual = try await CrashInProcess.contents(store)
                #expect(actual == expected, "\(context): \(expected.differences(from: actual))")
                try Self.expectMovedAside(name, damaged, store: store, path: f.path, context: context)
                await store.simulateCrashForTesting()
            }
        }
    }

    /// Without inline vectors in the metadata, `ann_vectors.bin` is the only copy of the
    /// checkpoint's vectors: damage is recovered from the log when it covers the history, and
    /// otherwise refuses the open; `repair()` then opens with what the log holds.
    @Test func damagedOnlyCopyOfTheVectorsRefusesTheOpen() async throws {
        let f = try await CrashLogFixture.make(steps: 9, checkpointAfter: 6, inlineLimit: 0)
        let name = "ann_vectors.bin"
        let original = try #require(f.files[name])
        // What the log after the checkpoint rewrites whole (steps 7...9 are blind writes).
        var fromLog = CrashModel()
        for (i, step) in CrashStep.stream(9).enumerated() where i + 1 > 6 {
            switch step {
            case .put(let ids): for id in ids { fromLog.entries[id] = f.models[9].entries[id] }
            case .updatePayload(let id), .updateVector(let id): fromLog.entries[id] = f.models[9].entries[id]
            case .delete(let ids): for id in ids { fromLog.entries[id] = nil }
            }
        }
        for damage in Self.damages(for: original, name: name) {
            let damaged = damage.apply(to: original)
            // With the log still covering the history, nothing is lost.
            f.restore(extra: f.segmentsBeforeCheckpoint)
            CrashFiles.write(f.path + "/" + name, damaged)
            let covered = try await f.open()
            let all = try await CrashInProcess.contents(covered)
            #expect(all == f.models[9], "\(name) \(damage), no inline vectors, log covering: \(f.models[9].differences(from: all))")
            try Self.expectMovedAside(name, damaged, store: covered, path: f.path, context: "\(name) \(damage), log covering")
            await covered.simulateCrashForTesting()
            // Without it, the open refuses.
            f.restore()
            CrashFiles.write(f.path + "/" + name, damaged)
            let context = "\(name) \(damage), no inline vectors"
            try await Self.expectRefusalThenRepair(f, name: name, damaged: damaged, context: context) { repaired in
                #expect(repaired == fromLog, "\(context): after repair: \(fromLog.differences(from: repaired))")
            }
        }
    }

    static func expectMovedAside(_ name: String, _ damaged: [UInt8], store: InMemoryVectorStore, path: String, context: String) throws {
        let moved = store.persistenceHealth().quarantinedFiles.filter { $0.hasPrefix(name + ".corrupt-") }
        #expect(moved.count == 1, "\(context): damage not detected (quarantined: \(store.persistenceHealth().quarantinedFiles))")
        if let aside = moved.first {
            #expect(CrashFiles.read(path + "/" + aside) == damaged, "\(context): the file moved aside is not the damaged file")
        }
        #expect(CrashFiles.size(path + "/" + name) == -1, "\(context): the damaged file is still in place")
    }

    static func expectRefusalThenRepair(
        _ f: CrashLogFixture, name: String, damaged: [UInt8], context: String, check: (CrashModel) -> Void
    ) async throws {
        let before = CrashFiles.snapshot(f.path).filter { $0.key != "LOCK" }
        do {
            let store = try await f.open()
            let actual = try await CrashInProcess.contents(store)
            let warnings = store.persistenceHealth().recoveryWarnings.joined(separator: "; ")
            let message = "\(context): opened with \(actual.entries.count) vectors instead of refusing ("
                + f.models[9].differences(from: actual) + "; warnings: " + warnings + ")"
            Issue.record(Comment(rawValue: message))
            await store.simulateCrashForTesting()
            return
        } catch let error as VectorStoreError {
            guard case .corruptFile = error else {
                Issue.record("\(context): expected corruptFile, got \(error)")
                return
            }
        }
        #expect(CrashFiles.snapshot(f.path).filter { $0.key != "LOCK" } == before, "\(context): the refused open changed files")
        let repaired = try await f.open(repair: true)
        check(try await CrashInProcess.contents(repaired))
        try expectMovedAside(name, damaged, store: repaired, path: f.path, context: context + ", repair()")
        await repaired.simulateCrashForTesting()
    }
}
