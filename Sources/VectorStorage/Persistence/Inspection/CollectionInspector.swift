import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only look at a persistence directory: what each file holds and whether it checks out.
/// Takes no lock and writes nothing, so it is safe to run beside a live store (a log being
/// appended to may then show a tail still in flight).
///
/// ```swift
/// let report = try CollectionInspector.inspect(path: "./data/vector-storage")
/// print(report)
/// ```
public enum CollectionInspector {
    /// Inspects the directory at `path`.
    ///
    /// - Throws: a persistence error if the directory cannot be listed.
    public static func inspect(path: String) throws -> CollectionReport {
        let directory = Directory(path)
        let names = try directory.entries().sorted()
        var report = CollectionReport(path: path)
        var meta: CheckpointMetadata?
        if names.contains(CheckpointFiles.metadata) {
            do {
                let bytes = try PosixFile.openForReading(directory.file(CheckpointFiles.metadata)).readAll()
                meta = try bytes.withUnsafeBytes { try CheckpointMetadata.decode($0, loadVectors: false) }
            } catch {
                report.problems.append("ann_metadata.json: \(error)")
            }
        }
        if let meta {
            report.collectionName = meta.collectionName
            report.dimension = meta.dimension
            report.algorithm = meta.algorithm
            report.metric = meta.metric
            report.hnswM = meta.hnsw?.m
            report.hnswEfConstruction = meta.hnsw?.efConstruction
            report.hnswEfSearch = meta.hnsw?.efSearch
            report.checkpointVectorCount = meta.vectorCount
            report.checkpointSequence = meta.checkpointLSN
            report.format = meta.isOurs ? "VectorStorage \(meta.formatVersion ?? 0)" : "seed (no checksums)"
        }
        var markers: [CheckpointMarker] = []
        do {
            let scan = try WALReader.scan(directory, names: names)
            markers = scan.markers
            report.logRecords = scan.records.count
            report.logRecordsAfterCheckpoint = scan.records.filter { $0.lsn > (meta?.checkpointLSN ?? 0) }.count
            report.lastSequence = scan.lastLSN
            if let torn = scan.tornTail {
                report.problems.append("\(torn.segment): torn tail of \(torn.length) bytes at \(torn.offset) (cut at the next open)")
            }
        } catch {
            report.problems.append("write-ahead log: \(error)")
        }
        for name in names {
            var info = CollectionReport.FileInfo(name: name, bytes: 0, status: "")
            guard let type = directory.type(of: name) else { continue }
            if type != S_IFREG {
                info.status = "not a regular file (\(fileTypeName(type)))"
                report.files.append(info)
                continue
            }
            let bytes = (try? PosixFile.openForReading(directory.file(name)).readAll()) ?? []
            info.bytes = bytes.count
            if CheckpointFiles.all.contains(name) && name != CheckpointFiles.metadata {
                let fingerprint = bytes.withUnsafeBytes { FileFingerprint(of: $0) }
                if meta?.files[name] == fingerprint {
                    info.status = "checksum ok"
                } else if markers.contains(where: { $0.files[name] == fingerprint }) {
                    info.status = "checksum ok (newer checkpoint)"
                } else if meta?.isOurs == true {
                    info.status = "CHECKSUM MISMATCH"
                    report.problems.append("\(name): does not match any checkpoint's checksum")
                } else {
                    info.status = "no checksum recorded"
                }
            } else if name == CheckpointFiles.metadata {
                info.status = meta == nil ? "UNREADABLE" : (meta!.isOurs ? "self-checksum ok" : "seed format")
            } else if WALFormat.firstLSN(ofSegment: name) != nil {
                info.status = "log segment"
            } else if name == DirectoryLock.fileName {
                info.status = "lock file"
            } else if name.contains(".corrupt-") || name.contains(".torn-") || name.contains(".incomplete-") {
                info.status = "set aside (damaged)"
            } else {
                info.status = "not ours"
            }
            report.files.append(info)
        }
        return report
    }
}

/// What ``CollectionInspector/inspect(path:)`` found.
public struct CollectionReport: Sendable, Hashable, CustomStringConvertible {
    /// One entry of the directory.
    public struct FileInfo: Sendable, Hashable {
        /// The file's name.
        public var name: String
        /// Its size.
        public var bytes: Int
        /// What it is and whether its checksum matches.
        public var status: String
    }

    /// The directory inspected.
    public var path: String
    /// `VectorStorage <version>` or `seed (no checksums)`.
    public var format: String?
    /// As recorded in `ann_metadata.json`.
    public var collectionName: String?
    public var dimension: Int?
    public var algorithm: String?
    public var metric: String?
    /// The HNSW parameters recorded (`M`, `efConstruction`, `efSearch`), for HNSW collections.
    public var hnswM: Int?
    public var hnswEfConstruction: Int?
    public var hnswEfSearch: Int?
    /// Vectors in the last checkpoint.
    public var checkpointVectorCount: Int?
    /// The sequence number the last checkpoint includes.
    public var checkpointSequence: UInt64?
    /// Records in the log, and how many of them the next open replays.
    public var logRecords = 0
    public var logRecordsAfterCheckpoint = 0
    /// The sequence number of the last good log record.
    public var lastSequence: UInt64 = 0
    /// Every entry of the directory.
    public var files: [FileInfo] = []
    /// Everything that does not check out.
    public var problems: [String] = []

    public var description: String {
        var lines = ["Collection directory \(path)"]
        func add(_ label: String, _ value: String?) { if let value { lines.append("  \(label): \(value)") } }
        add("format", format)
        add("collection", collectionName)
        add("dimension", dimension.map(String.init))
        add("algorithm", algorithm)
        add("metric", metric)
        add("vectors in checkpoint", checkpointVectorCount.map(String.init))
        add("checkpoint sequence", checkpointSequence.map(String.init))
        lines.append("  log: \(logRecords) records, \(logRecordsAfterCheckpoint) after the checkpoint, last sequence \(lastSequence)")
        lines.append("  files:")
        for file in files {
            lines.append("    \(file.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(file.bytes).leftPadded(12)) bytes  \(file.status)")
        }
        lines.append(problems.isEmpty ? "  no problems found" : "  problems:")
        for problem in problems { lines.append("    - \(problem)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
