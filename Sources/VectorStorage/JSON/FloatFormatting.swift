/// Writes a `Float` as the shortest JSON number that reads back to the identical bits.
///
/// Format (close to Python's `repr` and JavaScript's `String(number)`):
/// - the digits are ``FloatShortestDecimal``'s: as few as possible, then the closest;
/// - plain notation when the decimal exponent `x` of `d.ddd × 10^x` satisfies `-4 ≤ x < 16`
///   (`0.0001`, `0.012345678`, `123.5`, `1000000.0`); integral values keep a `.0`;
/// - otherwise scientific notation with a bare exponent (`1e-5`, `1.5e-7`, `3.4028235e38`,
///   `1e-45`);
/// - zero is `0.0` and negative zero `-0.0`.
enum FloatFormatting {
    /// The most bytes ``write(_:to:)`` writes for one value.
    static let maxLength = 24

    /// Writes `value` at `destination` and returns the number of bytes written.
    ///
    /// - Precondition: `value` is finite (payload and vector validation reject NaN and infinity
    ///   before anything reaches the writer).
    @inline(__always)
    static func write(_ value: Float, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(value.isFinite, "JSONWriter cannot write a non-finite Float (\(value))")
        var p = destination
        if value.sign == .minus {
            p[0] = UInt8(ascii: "-")
            p += 1
        }
        if value == 0 {
            p[0] = UInt8(ascii: "0")
            p[1] = UInt8(ascii: ".")
            p[2] = UInt8(ascii: "0")
            return p + 3 - destination
        }
        let decimal = FloatShortestDecimal.decimal(for: value)
        let digits = UInt64(decimal.significand)
        let length = JSONDecimalDigits.count(digits)
        let scientificExponent = decimal.exponent + length - 1
        if scientificExponent >= -4 && scientificExponent < 16 {
            let integerDigits = scientificExponent + 1
            if integerDigits <= 0 {
                // 0.000ddd
                p[0] = UInt8(ascii: "0")
                p[1] = UInt8(ascii: ".")
                p += 2
                for _ in 0 ..< -integerDigits {
                    p[0] = UInt8(ascii: "0")
                    p += 1
                }
                JSONDecimalDigits.write(digits, count: length, to: p)
                p += length
            } else if integerDigits < length {
                // ddd.ddd
                let fractionDigits = length - integerDigits
                let divisor = JSONDecimalDigits.powersOfTen[fractionDigits]
                JSONDecimalDigits.write(digits / divisor, count: integerDigits, to: p)
                p += integerDigits
                p[0] = UInt8(ascii: ".")
                p += 1
                JSONDecimalDigits.write(digits % divisor, count: fractionDigits, to: p)
                p += fractionDigits
            } else {
                // ddd000.0
                JSONDecimalDigits.write(digits, count: length, to: p)
                p += length
                for _ in 0 ..< integerDigits - length {
                    p[0] = UInt8(ascii: "0")
                    p += 1
                }
                p[0] = UInt8(ascii: ".")
                p[1] = UInt8(ascii: "0")
                p += 2
            }
        } else {
            // d.ddde-x
            let divisor = JSONDecimalDigits.powersOfTen[length - 1]
            p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digits / divisor)
            p += 1
            if length > 1 {
                p[0] = UInt8(ascii: ".")
                p += 1
                JSONDecimalDigits.write(digits % divisor, count: length - 1, to: p)
                p += length - 1
            }
            p[0] = UInt8(ascii: "e")
            p += 1
            p += JSONDecimalDigits.write(Int64(scientificExponent), to: p)
        }
        return p - destination
    }
}
