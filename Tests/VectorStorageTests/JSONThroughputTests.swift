import Foundation
import Testing

@testable import VectorStorage

/// Throughput measurements for the codec and the filters. They print numbers and assert only
/// correctness, never timings. Opt in with `VS_JSON_BENCH=1` and run in release:
/// `VS_JSON_BENCH=1 swift test -c release --filter JSONThroughput`.
@Suite("JSON throughput", .serialized)
struct JSONThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["VS_JSON_BENCH"] == "1"

    /// 10,000 × 1,536 values shaped like normalised embeddings.
    static func embeddings(count: Int = 10_000 * 1_536) -> [Float] {
        var generator = JSONTestRandom(seed: 2024)
        return (0 ..< count).map { _ in
            // A rough bell shape around 0 with the spread of a 1,536-dimension unit vector.
            let u = Float.random(in: -1 ... 1, using: &generator) + Float.random(in: -1 ... 1, using: &generator)
            return u * 0.035
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func report(_ label: String, bytes: Int, _ duration: Duration) {
        let s = seconds(duration)
        let mb = Double(bytes) / 1e6
        print("[bench] \(label): \(String(format: "%.1f", mb)) MB in \(String(format: "%.3f", s)) s = \(String(format: "%.0f", mb / s)) MB/s")
    }

    @Test("write and parse 10,000 × 1,536 floats", .enabled(if: enabled))
    func floatArrays() throws {
        let floats = Self.embeddings()
        let clock = ContinuousClock()
        var writer = JSONWriter()
        let writeTime = clock.measure {
            for row in 0 ..< 10_000 {
                floats.withUnsafeBufferPointer { all in
                    writer.writeFloats(UnsafeBufferPointer(rebasing: all[row * 1_536 ..< (row + 1) * 1_536]))
                }
                writer.writeComma()
            }
        }
        Self.report("writeFloats (ours)", bytes: writer.bytes.count, writeTime)

        var parsed: [Float] = []
        parsed.reserveCapacity(floats.count)
        let text = writer.bytes
        let parseTime = try clock.measure {
            try text.withUnsafeBytes { raw in
                var parser = JSONPullParser(raw)
                for _ in 0 ..< 10_000 {
                    try parser.readFloatArray(appendingTo: &parsed)
                    parser.offset += 1  // the comma between rows
                }
            }
        }
        Self.report("readFloatArray (our output)", bytes: text.count, parseTime)
        jsonExpectSameBits(parsed, floats)

        // For comparison: one String per element through Float.description.
        let sample = floats.prefix(1_536 * 500)
        var described = 0
        let describeTime = clock.measure {
            for value in sample { described += value.description.utf8.count + 1 }
        }
        Self.report("Float.description (for comparison)", bytes: described, describeTime)
    }

    @Test("parse seed-style 17-digit floats (JavaScript / Python doubles)", .enabled(if: enabled))
    func seedStyleFloats() throws {
        let floats = Self.embeddings(count: 1_536 * 2_000)
        var text = "["
        for (index, value) in floats.enumerated() {
            if index > 0 { text += "," }
            text += Double(value).description  // e.g. 0.012345678918063641
        }
        text += "]"
        let bytes = Array(text.utf8)
        var parsed: [Float] = []
        let time = try ContinuousClock().measure {
            try bytes.withUnsafeBytes { raw in
                var parser = JSONPullParser(raw)
                try parser.readFloatArray(appendingTo: &parsed)
            }
        }
        Self.report("readFloatArray (17-digit doubles)", bytes: bytes.count, time)
        jsonExpectSameBits(parsed, floats)
    }

    @Test("payload values: write, parse, validate", .enabled(if: enabled))
    func payloads() throws {
        let payloads: [Payload] = (0 ..< 60_000).map { (i: Int) -> Payload in
            let tags: [JSONValue] = [.string("t\(i % 7)"), .string("t\(i % 11)")]
            let meta: [String: JSONValue] = [
                "author": .string("author\(i % 100)"), "lang": .string(i % 2 == 0 ? "en" : "fr"),
            ]
            var payload: Payload = [:]
            payload["title"] = .string("Document number \(i) about café")
            payload["year"] = .int(Int64(2000 + i % 25))
            payload["score"] = .double(Double(i % 1000) / 1000)
            payload["tags"] = .array(tags)
            payload["meta"] = .object(meta)
            return payload
        }
        let clock = ContinuousClock()
        var writer = JSONWriter()
        let writeTime = clock.measure {
            writer.beginArray()
            for (i, payload) in payloads.enumerated() {
                if i > 0 { writer.writeComma() }
                writer.writePayload(payload)
            }
            writer.endArray()
        }
        Self.report("writePayload × 60,000", bytes: writer.bytes.count, writeTime)
        var value: JSONValue = nil
        let parseTime = try clock.measure { value = try JSONValue.parse(writer.bytes) }
        Self.report("readValue × 60,000 payloads", bytes: writer.bytes.count, parseTime)
        #expect(value.arrayValue?.count == 60_000)
        let validateTime = try clock.measure {
            for payload in payloads { try PayloadValidator.validate(payload, id: 1) }
        }
        print("[bench] PayloadValidator × 60,000: \(String(format: "%.1f", Self.seconds(validateTime) * 1000)) ms")
    }

    @Test("filter 60,000 payloads", .enabled(if: enabled))
    func filters() {
        let payloads: [Payload] = (0 ..< 60_000).map { (i: Int) -> Payload in
            let tags: [JSONValue] = [.string("t\(i % 7)"), .string("t\(i % 11)")]
            var payload: Payload = [:]
            payload["category"] = .string(i % 3 == 0 ? "docs" : "blog")
            payload["created_at"] = .int(Int64(i))
            payload["tags"] = .array(tags)
            payload["meta"] = .object(["author": .string("author\(i % 100)")])
            return payload
        }
        let filter: SearchFilter = [
            "category": "docs", "created_at": .range(gte: 1_000, lt: 50_000), "tags": .any(["t3", "t5"]),
            "meta.author": .notEquals("author7"),
        ]
        let clock = ContinuousClock()
        var hits = 0
        let time = clock.measure {
            let compiled = CompiledSearchFilter(filter)
            for payload in payloads where compiled.matches(payload) { hits += 1 }
        }
        let perQuery = Self.seconds(time) * 1000
        print("[bench] filter over 60,000 payloads: \(String(format: "%.2f", perQuery)) ms per query, \(hits) hits")
        #expect(hits > 0)
    }
}
