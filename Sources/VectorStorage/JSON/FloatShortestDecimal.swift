/// Shortest round-trip decimal digits for a `Float`.
///
/// The algorithm follows the idea of Raffaello Giulietti's "Schubfach" (written here from the
/// published description, specialised for binary32): the value `c·2^q` and the two ends of its
/// rounding interval are scaled by `10^-k` with one 64×64→128-bit multiplication each, rounded to
/// odd (the low bit records whether anything was discarded), which keeps every comparison against
/// an integer exact. Among the decimals inside the rounding interval it picks one with the fewest
/// digits, and among those the one closest to the value (ties to an even digit), which is the same
/// choice as Swift's `Float.description`.
///
/// Verified against `Float.description` for all 2³¹ positive finite floats (see
/// `JSONFloatExhaustiveTests`, enabled with `VS_EXHAUSTIVE_FLOAT=1`).
enum FloatShortestDecimal {
    /// The decimal `significand × 10^exponent`, with `significand` holding at most 9 digits and no
    /// trailing zero.
    struct Decimal: Equatable {
        var significand: UInt32
        var exponent: Int
    }

    /// The shortest decimal that reads back as `value`.
    ///
    /// - Precondition: `value` is finite and not zero (the sign is ignored).
    @inline(__always)
    static func decimal(for value: Float) -> Decimal {
        let bits = value.bitPattern
        let fraction = UInt64(bits & 0x007F_FFFF)
        let biased = Int((bits >> 23) & 0xFF)
        precondition(biased != 0xFF && (biased != 0 || fraction != 0), "finite, non-zero Float expected")

        let c: UInt64
        let q: Int
        if biased == 0 {
            c = fraction
            q = -149
        } else {
            c = fraction | (1 << 23)
            q = biased - 150
        }
        // An odd significand has an open rounding interval (ties round to the even neighbour).
        let out: UInt64 = c & 1
        let cb = c << 2
        let cbr = cb + 2
        let cbl: UInt64
        let k: Int
        if fraction != 0 || biased <= 1 {
            cbl = cb - 2
            k = floorLog10Pow2(q)
        } else {
            // The lowest significand of a binade: the neighbour below is half as far away.
            cbl = cb - 1
            k = floorLog10ThreeQuartersPow2(q)
        }
        let h = q + floorLog2Pow10(-k) + 33
        let g = scaledPowersOfTen[k - minK]
        let vb = roundToOdd(g, cb << UInt64(h))
        let vbl = roundToOdd(g, cbl << UInt64(h))
        let vbr = roundToOdd(g, cbr << UInt64(h))

        let s = vb >> 2
        if s >= 10 {
            // A candidate with one digit less: the multiples of ten around the value.
            let sp10 = (s / 10) &* 10
            let tp10 = sp10 &+ 10
            let lowerInside = vbl &+ out <= sp10 << 2
            let upperInside = (tp10 << 2) &+ out <= vbr
            if lowerInside != upperInside {
                return trimmed(lowerInside ? sp10 : tp10, k)
            }
        }
        let t = s &+ 1
        let lowerInside = vbl &+ out <= s << 2
        let upperInside = (t << 2) &+ out <= vbr
        if lowerInside != upperInside {
            return trimmed(lowerInside ? s : t, k)
        }
        // Both are inside: the closer one, ties to even.
        let midpoint = (s &+ t) << 1
        let pickLower = vb < midpoint || (vb == midpoint && s & 1 == 0)
        return trimmed(pickLower ? s : t, k)
    }

    @inline(__always)
    private static func trimmed(_ significand: UInt64, _ exponent: Int) -> Decimal {
        var s = UInt32(truncatingIfNeeded: significand)
        var e = exponent
        while s % 10 == 0 {
            s /= 10
            e += 1
        }
        return Decimal(significand: s, exponent: e)
    }

    /// `(g·cp) >> 96`, rounded to odd: the result's low bit is set when any discarded bit was.
    @inline(__always)
    private static func roundToOdd(_ g: UInt64, _ cp: UInt64) -> UInt64 {
        let high = g.multipliedFullWidth(by: cp).high
        return (high >> 32) | ((high & 0xFFFF_FFFF) == 0 ? 0 : 1)
    }

    /// `floor(q · log10(2))`, exact for |q| ≤ 1,000 (checked in the tests).
    @inline(__always)
    static func floorLog10Pow2(_ q: Int) -> Int { (q &* 661_971_961_083) >> 41 }

    /// `floor(log10(3/4 · 2^q))`, exact for |q| ≤ 1,000 (checked in the tests).
    @inline(__always)
    static func floorLog10ThreeQuartersPow2(_ q: Int) -> Int { (q &* 661_971_961_083 &- 274_743_187_321) >> 41 }

    /// `floor(e · log2(10))`, exact for |e| ≤ 400 (checked in the tests).
    @inline(__always)
    static func floorLog2Pow10(_ e: Int) -> Int { (e &* 913_124_641_741) >> 38 }

    /// The smallest `k` used for binary32 (`floor(log10(2^-149))`).
    static let minK = -45

    /// For `k` in `minK...31`: `floor(10^-k · 2^r) + 1` with `r` chosen so the value lies in
    /// `(2^63, 2^64)`. Generated with exact rational arithmetic.
    static let scaledPowersOfTen: [UInt64] = [
        0xB35DBF821AE4F38C, 0x8F7E32CE7BEA5C70, 0xE596B7B0C643C71A,
        0xB7ABC627050305AE, 0x92EFD1B8D0CF37BF, 0xEB194F8E1AE525FE,
        0xBC143FA4E250EB32, 0x96769950B50D88F5, 0xF0BDC21ABB48DB21,
        0xC097CE7BC90715B4, 0x9A130B963A6C115D, 0xF684DF56C3E01BC7,
        0xC5371912364CE306, 0x9DC5ADA82B70B59E, 0xFC6F7C4045812297,
        0xC9F2C9CD04674EDF, 0xA18F07D736B90BE6, 0x813F3978F8940985,
        0xCECB8F27F4200F3B, 0xA56FA5B99019A5C9, 0x84595161401484A1,
        0xD3C21BCECCEDA101, 0xA968163F0A57B401, 0x878678326EAC9001,
        0xD8D726B7177A8001, 0xAD78EBC5AC620001, 0x8AC7230489E80001,
        0xDE0B6B3A76400001, 0xB1A2BC2EC5000001, 0x8E1BC9BF04000001,
        0xE35FA931A0000001, 0xB5E620F480000001, 0x9184E72A00000001,
        0xE8D4A51000000001, 0xBA43B74000000001, 0x9502F90000000001,
        0xEE6B280000000001, 0xBEBC200000000001, 0x9896800000000001,
        0xF424000000000001, 0xC350000000000001, 0x9C40000000000001,
        0xFA00000000000001, 0xC800000000000001, 0xA000000000000001,
        0x8000000000000001, 0xCCCCCCCCCCCCCCCD, 0xA3D70A3D70A3D70B,
        0x83126E978D4FDF3C, 0xD1B71758E219652C, 0xA7C5AC471B478424,
        0x8637BD05AF6C69B6, 0xD6BF94D5E57A42BD, 0xABCC77118461CEFD,
        0x89705F4136B4A598, 0xDBE6FECEBDEDD5BF, 0xAFEBFF0BCB24AAFF,
        0x8CBCCC096F5088CC, 0xE12E13424BB40E14, 0xB424DC35095CD810,
        0x901D7CF73AB0ACDA, 0xE69594BEC44DE15C, 0xB877AA3236A4B44A,
        0x9392EE8E921D5D08, 0xEC1E4A7DB69561A6, 0xBCE5086492111AEB,
        0x971DA05074DA7BEF, 0xF1C90080BAF72CB2, 0xC16D9A0095928A28,
        0x9ABE14CD44753B53, 0xF79687AED3EEC552, 0xC612062576589DDB,
        0x9E74D1B791E07E49, 0xFD87B5F28300CA0E, 0xCAD2F7F5359A3B3F,
        0xA2425FF75E14FC32, 0x81CEB32C4B43FCF5,
    ]
}
