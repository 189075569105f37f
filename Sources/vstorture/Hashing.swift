import VectorStorage

/// 64-bit FNV-1a: the fingerprint of a vector's bits and of a payload's canonical encoding. The
/// oracle compares these fingerprints, so a value that comes back different in any bit (a lost
/// update, a payload from another version, a −0.0 turned into 0.0) is caught.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ b: UInt8) {
        value ^= UInt64(b)
        value &*= 0x0000_0100_0000_01b3
    }

    mutating func u32(_ x: UInt32) { for i in 0..<4 { byte(UInt8(truncatingIfNeeded: x >> (8 * UInt32(i)))) } }
    mutating func u64(_ x: UInt64) { for i in 0..<8 { byte(UInt8(truncatingIfNeeded: x >> (8 * UInt64(i)))) } }

    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        for b in s.utf8 { byte(b) }
    }
}

enum Fingerprint {
    static func hex(_ x: UInt64) -> String {
        let digits = String(x, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func vector(_ v: [Float]) -> String {
        var h = FNV1a()
        h.u64(UInt64(v.count))
        for x in v { h.u32(x.bitPattern) }
        return hex(h.value)
    }

    static func payload(_ p: Payload) -> String {
        var h = FNV1a()
        add(.object(p), to: &h)
        return hex(h.value)
    }

    /// A canonical, typed encoding: object keys sorted by their UTF-8 bytes, doubles by their bits.
    private static func add(_ value: JSONValue, to h: inout FNV1a) {
        switch value {
        case .null: h.byte(0)
        case .bool(let b): h.byte(b ? 2 : 1)
        case .int(let i):
            h.byte(3)
            h.u64(UInt64(bitPattern: i))
        case .double(let d):
            h.byte(4)
            h.u64(d.bitPattern)
        case .string(let s):
            h.byte(5)
            h.string(s)
        case .array(let a):
            h.byte(6)
            h.u64(UInt64(a.count))
            for element in a { add(element, to: &h) }
        case .object(let o):
            h.byte(7)
            h.u64(UInt64(o.count))
            for key in o.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                h.string(key)
                add(o[key]!, to: &h)
            }
        }
    }

    /// The oracle's spelling of an id: `i:<integer>` or `s:<string>` (generated strings have no spaces).
    static func key(_ id: VectorID) -> String {
        switch id {
        case .int(let i): return "i:\(i)"
        case .string(let s): return "s:\(s)"
        }
    }
}
