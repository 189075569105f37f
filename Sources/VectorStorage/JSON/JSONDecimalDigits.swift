/// Small helpers that write decimal digits straight into a byte buffer.
enum JSONDecimalDigits {
    /// "00" through "99", two ASCII bytes per pair.
    private static let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// The number of decimal digits of `value` (1 for 0).
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        var n = 1
        var v = value
        while v >= 10_000 {
            v /= 10_000
            n += 4
        }
        if v >= 1_000 { return n + 3 }
        if v >= 100 { return n + 2 }
        if v >= 10 { return n + 1 }
        return n
    }

    /// Writes exactly `count` digits of `value` (zero-padded on the left) at `destination`.
    ///
    /// - Precondition: `value < 10^count`.
    @inline(__always)
    static func write(_ value: UInt64, count: Int, to destination: UnsafeMutablePointer<UInt8>) {
        let table = pairs.utf8Start
        var v = value
        var position = count
        while position >= 2 {
            let pair = Int(v % 100) &* 2
            v /= 100
            position -= 2
            destination[position] = table[pair]
            destination[position + 1] = table[pair + 1]
        }
        if position == 1 {
            destination[0] = 0x30 &+ UInt8(truncatingIfNeeded: v)
        }
    }

    /// Writes `value` in decimal (with a leading `-` when negative) and returns the byte count
    /// (at most 20).
    @inline(__always)
    static func write(_ value: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var index = 0
        if value < 0 {
            destination[0] = 0x2D
            index = 1
        }
        let magnitude = value.magnitude
        let n = count(magnitude)
        write(magnitude, count: n, to: destination + index)
        return index + n
    }

    /// `10^n` for `n` in `0...19`.
    static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
        1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]
}
