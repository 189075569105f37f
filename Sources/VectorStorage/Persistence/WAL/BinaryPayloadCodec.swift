/// A compact binary encoding of payloads for log records (faster and smaller than JSON text, and
/// exact: integers stay integers, doubles keep their bits).
///
/// Tags: 0 null, 1 false, 2 true, 3 int64, 4 double, 5 string (u32 length + UTF-8), 6 array
/// (u32 count + elements), 7 object (u32 count + (u32 key length + key + value) pairs, keys sorted).
enum BinaryPayloadCodec {
    /// Deepest nesting accepted when decoding (payloads are validated to 64 levels on insert).
    static let maxDepth = 128

    struct DecodingFailure: Error {}

    static func encode(_ payload: Payload, into writer: inout ByteWriter) {
        encode(.object(payload), into: &writer)
    }

    static func encode(_ value: JSONValue, into writer: inout ByteWriter) {
        switch value {
        case .null: writer.write(UInt8(0))
        case .bool(let b): writer.write(UInt8(b ? 2 : 1))
        case .int(let i):
            writer.write(UInt8(3))
            writer.write(i)
        case .double(let d):
            writer.write(UInt8(4))
            writer.write(d)
        case .string(let s):
            writer.write(UInt8(5))
            writeString(s, into: &writer)
        case .array(let a):
            writer.write(UInt8(6))
            writer.write(UInt32(a.count))
            for element in a { encode(element, into: &writer) }
        case .object(let o):
            writer.write(UInt8(7))
            writer.write(UInt32(o.count))
            for key in o.keys.sorted() {
                writeString(key, into: &writer)
                encode(o[key]!, into: &writer)
            }
        }
    }

    private static func writeString(_ s: String, into writer: inout ByteWriter) {
        var s = s
        s.withUTF8 { utf8 in
            writer.write(UInt32(utf8.count))
            writer.write(bytes: utf8)
        }
    }

    /// Decodes a payload (an encoded object).
    static func decodePayload(_ reader: inout ByteReader) throws -> Payload {
        guard case .object(let o) = try decode(&reader, depth: 0) else { throw DecodingFailure() }
        return o
    }

    static func decode(_ reader: inout ByteReader, depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw DecodingFailure() }
        switch try reader.readUInt8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try reader.readInt64())
        case 4: return .double(try reader.readDouble())
        case 5: return .string(try readString(&reader))
        case 6:
            let count = Int(try reader.readUInt32())
            guard count <= reader.remaining else { throw DecodingFailure() }
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try decode(&reader, depth: depth + 1)) }
            return .array(elements)
        case 7:
            let count = Int(try reader.readUInt32())
            guard count <= reader.remaining / 5 else { throw DecodingFailure() }
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(count)
            for _ in 0..<count {
                let key = try readString(&reader)
                object[key] = try decode(&reader, depth: depth + 1)
            }
            return .object(object)
        default:
            throw DecodingFailure()
        }
    }

    private static func readString(_ reader: inout ByteReader) throws -> String {
        let length = Int(try reader.readUInt32())
        guard let s = try reader.readString(count: length) else { throw DecodingFailure() }
        return s
    }
}
