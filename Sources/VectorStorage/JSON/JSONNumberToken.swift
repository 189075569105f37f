/// A JSON number token split into sign, decimal significand and exponent, with the conversions to
/// `Int64`, `Double` and `Float`.
///
/// The value is `±significand × 10^exponent` when `isExact`; otherwise digits after the 19th
/// significant one were dropped (and at least one of them was not zero), so the value lies strictly
/// between `significand × 10^exponent` and `(significand + 1) × 10^exponent`.
struct JSONNumberToken {
    var negative = false
    /// The first (at most 19) significant digits; leading zeros are not significant.
    var significand: UInt64 = 0
    /// The number of digits in `significand` (0 when the number is zero).
    var digitCount = 0
    var exponent = 0
    /// Whether every non-zero digit of the token is in `significand`.
    var isExact = true
    /// Whether the token has neither a fraction nor an exponent.
    var isIntegerSyntax = true

    /// The most significant digits kept; any 19-digit decimal fits in a `UInt64`.
    static let maxDigits = 19

    // MARK: Int64

    /// The value as an `Int64`, or `nil` if it is not integer syntax or does not fit.
    var int64Value: Int64? {
        guard isIntegerSyntax, isExact, exponent == 0 else { return nil }
        if negative {
            guard significand <= UInt64(Int64.max) + 1 else { return nil }
            return significand == UInt64(Int64.max) + 1 ? Int64.min : -Int64(significand)
        }
        guard significand <= UInt64(Int64.max) else { return nil }
        return Int64(significand)
    }

    // MARK: Double

    /// Exact powers of ten representable in a `Double`.
    private static let doublePowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The correctly rounded `Double` when it can be computed exactly with one rounding (Clinger's
    /// fast path: an exact integer significand ≤ 2^53 times or divided by an exact power of ten);
    /// `nil` otherwise.
    @inline(__always)
    var fastDouble: Double? {
        guard isExact, significand <= 1 << 53 else { return nil }
        var value = Double(significand)
        if exponent >= 0 {
            if exponent <= 22 {
                value *= Self.doublePowersOfTen[exponent]
            } else if exponent <= 22 + 15 {
                // 123e30 = 123000000e22: fold part of the exponent into the significand when exact.
                let (folded, overflow) = significand.multipliedReportingOverflow(
                    by: JSONDecimalDigits.powersOfTen[exponent - 22])
                guard !overflow, folded <= 1 << 53 else { return nil }
                value = Double(folded) * 1e22
            } else {
                return nil
            }
        } else {
            guard exponent >= -22 else { return nil }
            value /= Self.doublePowersOfTen[-exponent]
        }
        return negative ? -value : value
    }

    // MARK: Float

    /// The correctly rounded `Float`, or `nil` when the value is too close to a rounding boundary
    /// (or too far out) to decide here and the caller must use a correctly rounded fallback.
    ///
    /// Overflow gives an infinity (the caller reports it); underflow gives a signed zero.
    @inline(__always)
    var fastFloat: Float? {
        if significand == 0 { return negative ? -0.0 : 0.0 }
        if let exact = fastDouble {
            // One correctly rounded double operation, then rounding to binary32: correct, because
            // double rounding is innocuous when 53 ≥ 2·24 + 2 (Figueroa).
            return Float(exact)
        }
        let scientificExponent = digitCount - 1 + exponent
        if scientificExponent > 39 { return negative ? -.infinity : .infinity }
        if scientificExponent < -47 { return negative ? -0.0 : 0.0 }  // below half the least subnormal
        // Approximate in Double with at most four roundings (significand, three scalings), each
        // within 2^-53 relative; a dropped tail adds less than 10^-18. The exact value therefore
        // lies within 2^-48 relative of `value`: if both ends of that interval round to the same
        // Float, so does the exact value (rounding is monotone).
        var value = Double(significand)
        var e = exponent
        if e >= 0 {
            while e > 22 {
                value *= 1e22
                e -= 22
            }
            value *= Self.doublePowersOfTen[e]
        } else {
            while e < -22 {
                value /= 1e22
                e += 22
            }
            value /= Self.doublePowersOfTen[-e]
        }
        let slack = value * 0x1p-48
        let low = Float(value - slack)
        let high = Float(value + slack)
        guard low.bitPattern == high.bitPattern else { return nil }
        return negative ? -low : low
    }
}
