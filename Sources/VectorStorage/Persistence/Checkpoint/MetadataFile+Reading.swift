import Foundation

extension CheckpointMetadata {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `ann_metadata.json` (ours or the seed's), checking the self-checksum when present.
    ///
    /// - Parameter loadVectors: parse the inline `vectors` (skipped when a binary copy will be used).
    static func decode(_ raw: UnsafeRawBufferPointer, loadVectors: Bool) throws -> CheckpointMetadata {
        try verifyChecksum(raw)
        var p = JSONPullParser(raw)
        var dimension: Int?
        var sawFiles = false
        var meta = CheckpointMetadata(dimension: 0, algorithm: "flat", vectorCount: 0, faissAvailable: false)
        do {
            try p.beginObject()
            while let key = try p.nextKey() {
                switch key {
                case "dimension": dimension = Int(try p.readInt64())
                case "algorithm": meta.algorithm = try p.readString()
                case "vectorCount": meta.vectorCount = Int(try p.readInt64())
                case "faissAvailable": meta.faissAvailable = try p.readBool()
                case "formatVersion": meta.formatVersion = Int(try p.readInt64())
                case "collectionName": meta.collectionName = try p.readString()
                case "metric": meta.metric = try p.readString()
                case "checkpointSequence": meta.checkpointLSN = UInt64(bitPattern: try p.readInt64())
                case "faissLabels": meta.faissLabels = try p.readString()
                case "hnsw":
                    let v = try p.readValue()
                    if let m = v["M"]?.intValue, let c = v["efConstruction"]?.intValue, let s = v["efSearch"]?.intValue {
                        meta.hnsw = (Int(m), Int(c), Int(s))
                    }
                case "files":
                    sawFiles = true
                    try p.beginObject()
                    while let name = try p.nextKey() {
                        let v = try p.readValue()
                        guard let bytes = v["bytes"]?.intValue, bytes >= 0,
                              let text = v["crc32c"]?.stringValue, let crc = UInt32(text, radix: 16)
                        else { throw ReadError(description: "malformed fingerprint of \(name)") }
                        meta.files[name] = FileFingerprint(size: UInt64(bytes), crc32c: crc)
                    }
                case "vectors" where !loadVectors && meta.formatVersion != nil && sawFiles:
                    // Our format puts only the checksum after the vectors, and the checksum was
                    // verified over the whole file: no need to read tens of megabytes of floats.
                    return try finish(meta, dimension: dimension)
                case "vectors" where loadVectors:
                    guard let d = dimension, d > 0 else {
                        throw ReadError(description: "\"vectors\" before a valid \"dimension\"")
                    }
                    var ids: [VectorID] = []
                    var floats: [Float] = []
                    floats.reserveCapacity(max(meta.vectorCount, 0) * d)
                    try p.beginArray()
                    while try p.nextElement() {
                        try p.beginArray()
                        guard try p.nextElement() else { throw ReadError(description: "empty vector row") }
                        let id: VectorID
                        switch try p.peekKind() {
                        case .string: id = .string(try p.readString())
                        case .number: id = .int(try p.readInt64())
                        default: throw ReadError(description: "row \(ids.count): an id must be a string or an integer")
                        }
                        guard try p.nextElement() else { throw ReadError(description: "row \(ids.count) has no vector") }
                        let n = try p.readFloatArray(appendingTo: &floats)
                        guard n == d else {
                            throw ReadError(description: "row \(ids.count) (\(id)) has \(n) components, expected \(d)")
                        }
                        guard try !p.nextElement() else { throw ReadError(description: "row \(ids.count) has extra items") }
                        ids.append(id)
                    }
                    meta.inlineIDs = ids
                    meta.inlineVectors = floats
                default:
                    try p.skipValue()
                }
            }
            try p.finish()
        } catch let error as JSONParseError {
            throw ReadError(description: "\(error)")
        }
        return try finish(meta, dimension: dimension)
    }

    private static func finish(_ meta: CheckpointMetadata, dimension: Int?) throws -> CheckpointMetadata {
        var meta = meta
        guard let dimension, dimension > 0 else { throw ReadError(description: "missing or invalid \"dimension\"") }
        meta.dimension = dimension
        if let floats = meta.inlineVectors, floats.contains(where: { !$0.isFinite }) {
            throw ReadError(description: "a vector holds a non-finite component")
        }
        return meta
    }

    /// Checks the `"checksum"` key (the last one) when the file has it.
    static func verifyChecksum(_ raw: UnsafeRawBufferPointer) throws {
        let needle = Array("\"checksum\":\"crc32c:".utf8)
        // The key sits near the end of the file: search backwards a bounded distance.
        let window = min(raw.count, 256)
        let tailStart = raw.count - window
        var position: Int?
        var i = raw.count - needle.count
        while i >= tailStart {
            if raw[i] == UInt8(ascii: "\""), UnsafeRawBufferPointer(rebasing: raw[i..<(i + needle.count)]).elementsEqual(needle) {
                position = i
                break
            }
            i -= 1
        }
        guard let position else {
            // The seed's file has no checksum; ours always has one, so a file that declares our
            // format without it was damaged (a flipped byte in the key must not pass as "unchecked").
            let format = Array("\"format\":\"\(formatName)\"".utf8)
            let head = UnsafeRawBufferPointer(rebasing: raw[0..<min(raw.count, 4096)])
            if head.count >= format.count,
               (0...(head.count - format.count)).contains(where: { i in
                   head[i] == UInt8(ascii: "\"") && UnsafeRawBufferPointer(rebasing: head[i..<(i + format.count)]).elementsEqual(format)
               })
            {
                throw ReadError(description: "the checksum is missing or damaged")
            }
            return
        }
        let hexStart = position + needle.count
        // Ours ends exactly with the checksum's value, the closing brace and a newline.
        let tail = Array("\"}\n".utf8)
        guard hexStart + 8 + tail.count == raw.count,
              UnsafeRawBufferPointer(rebasing: raw[(hexStart + 8)...]).elementsEqual(tail),
              let text = String(bytes: UnsafeRawBufferPointer(rebasing: raw[hexStart..<(hexStart + 8)]), encoding: .utf8),
              text.utf8.allSatisfy({ $0.isHexDigitASCII }),
              let stored = UInt32(text, radix: 16)
        else { throw ReadError(description: "malformed checksum or damaged end of file") }
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<position]))
        guard actual == stored else {
            throw ReadError(description: "checksum mismatch (stored \(hex(stored)), computed \(hex(actual)))")
        }
    }
}

private extension UInt8 {
    /// A lowercase hexadecimal digit (a case-flipped digit is damage, not the same value).
    var isHexDigitASCII: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self)  // written in lowercase only
    }
}
