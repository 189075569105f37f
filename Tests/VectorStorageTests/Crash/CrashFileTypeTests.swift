import Foundation
import Testing

/// F10: a checkpoint file, the log segment or `LOCK` replaced by a directory, a FIFO or a
/// symbolic link (to a valid copy, to /dev/zero): the open fails with a typed error naming the
/// path — never a hang (a FIFO must not be opened blocking; the child has a timeout), never a
/// crash — and nothing is deleted or changed; putting the file back restores everything.
@Suite(.serialized) struct CrashFileTypeTests {
    enum Kind: String, CaseIterable {
        case directory, fifo, symlinkToCopy = "symlink to a copy", symlinkToDevZero = "symlink to /dev/zero"
    }

    @Test func specialFilesGiveTypedErrorsWithoutHangOrLoss() throws {
        let tool = try CrashTool.require()
        let dir = CrashTempDir("types")
        let store = dir.file("store")
        let expected = try CrashHarness.populate(tool, directory: store)
        let pristine = CrashFiles.snapshot(store)
        let segments = CrashFiles.segments(store)
        try #require(!segments.isEmpty && pristine["payloads.json"] != nil, "populate left \(pristine.keys.sorted())")
        let targets = ["payloads.json", "ann_vectors.bin", "ann_index.faiss", "ann_metadata.json", segments.last!, "LOCK"]
        for target in targets {
            for kind in Kind.allCases {
                CrashFiles.restore(store, pristine)
                let path = store + "/" + target
                try FileManager.default.removeItem(atPath: path)
                switch kind {
                case .directory:
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                    CrashFiles.write(path + "/keep", [1, 2, 3])
                case .fifo:
                    #expect(mkfifo(path, 0o644) == 0)
                case .symlinkToCopy:
                    CrashFiles.write(dir.file("copy-\(target)"), pristine[target]!)
                    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: dir.file("copy-\(target)"))
                case .symlinkToDevZero:
                    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
                }
                let context = "\(target) replaced by a \(kind.rawValue)"
                let dump = try CrashDump.run(tool, directory: store, timeout: 30)  // a hang fails here
                #expect(!dump.ok, "\(context): opened (\(dump.state.count) vectors) instead of refusing")
                #expect(dump.code == "corruptFile", "\(context): not the typed error: \(dump.raw)")
                #expect((dump.fields["path"] as? String) == path, "\(context): the error does not name the file: \(dump.raw)")
                // Nothing deleted or changed: the special entry is still there, every other file intact.
                var info = stat()
                #expect(lstat(path, &info) == 0, "\(context): the entry was removed")
                let expectedType: mode_t = switch kind {
                case .directory: S_IFDIR
                case .fifo: S_IFIFO
                case .symlinkToCopy, .symlinkToDevZero: S_IFLNK
                }
                #expect(info.st_mode & S_IFMT == expectedType, "\(context): the entry was replaced")
                if kind == .directory { #expect(CrashFiles.read(path + "/keep") == [1, 2, 3]) }
                let now = CrashFiles.snapshot(store).filter { $0.key != target && $0.key != "LOCK" }
                #expect(now == pristine.filter { $0.key != target && $0.key != "LOCK" }, "\(context): other files changed: \(now.keys.sorted())")
                // Put the file back: everything is there.
                try FileManager.default.removeItem(atPath: path)
                CrashFiles.write(path, pristine[target]!)
                let restored = try CrashDump.run(tool, directory: store, timeout: 30)
                #expect(restored.ok && restored.state == expected, "\(context), file put back: \(restored.raw.prefix(300))")
            }
        }
    }
}
