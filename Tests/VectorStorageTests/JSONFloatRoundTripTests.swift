import Testing

@testable import VectorStorage

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct JSONTestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes `floats` with `JSONWriter` and reads them back with `JSONPullParser.readFloatArray`.
func jsonRoundTripFloats(_ floats: [Float]) throws -> (text: String, parsed: [Float]) {
    var writer = JSONWriter()
    writer.writeFloats(floats)
    var parsed: [Float] = []
    try writer.bytes.withUnsafeBytes { raw in
        var parser = JSONPullParser(raw)
        try parser.readFloatArray(appendingTo: &parsed)
        try parser.finish()
    }
    return (String(decoding: writer.bytes, as: UTF8.self), parsed)
}

/// Expects `actual` to hold exactly the bits of `expected`, reporting at most a few mismatches.
func jsonExpectSameBits(_ actual: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    var mismatches = 0
    for (a, e) in zip(actual, expected) where a.bitPattern != e.bitPattern {
        mismatches += 1
        if mismatches <= 5 {
            Issue.record("\(e) (0x\(String(e.bitPattern, radix: 16))) came back as \(a)", sourceLocation: sourceLocation)
        }
    }
    #expect(mismatches == 0, sourceLocation: sourceLocation)
}

/// The text `JSONWriter.writeFloat` produces for one value.
func jsonFloatText(_ value: Float) -> String {
    var writer = JSONWriter()
    writer.writeFloat(value)
    return String(decoding: writer.bytes, as: UTF8.self)
}

/// The digits of Swift's own shortest representation (`Float.description`), as (significand,
/// exponent) without trailing zeros; the sign is ignored.
func jsonSwiftShortestDecimal(_ value: Float) -> (UInt64, Int) {
    var significand: UInt64 = 0
    var fractionDigits = 0
    var inFraction = false
    var inExponent = false
    var negativeExponent = false
    var exponentValue = 0
    for byte in value.description.utf8 {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"):
            let digit = Int(byte - UInt8(ascii: "0"))
            if inExponent {
                exponentValue = exponentValue * 10 + digit
            } else {
                significand = significand * 10 + UInt64(digit)
                if inFraction { fractionDigits += 1 }
            }
        case UInt8(ascii: "."): inFraction = true
        case UInt8(ascii: "e"): inExponent = true
        case UInt8(ascii: "-"): if inExponent { negativeExponent = true }
        default: continue
        }
    }
    var exponent = (negativeExponent ? -exponentValue : exponentValue) - fractionDigits
    while significand % 10 == 0 && significand != 0 {
        significand /= 10
        exponent += 1
    }
    return (significand, exponent)
}

@Suite("JSON float round trip")
struct JSONFloatRoundTripTests {
    #if DEBUG
        static let randomCount = 300_000
    #else
        static let randomCount = 16_000_000
    #endif

    @Test("random bit patterns round-trip bit-exactly")
    func randomBitPatterns() throws {
        var generator = JSONTestRandom(seed: 0x5EED_F10A7)
        var floats: [Float] = []
        floats.reserveCapacity(Self.randomCount)
        while floats.count < Self.randomCount {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if value.isFinite { floats.append(value) }
        }
        let (_, parsed) = try jsonRoundTripFloats(floats)
        jsonExpectSameBits(parsed, floats)
    }

    @Test("random embedding-like values round-trip bit-exactly")
    func embeddingLikeValues() throws {
        var generator = JSONTestRandom(seed: 42)
        let floats = (0 ..< 100_000).map { _ in Float.random(in: -0.2 ... 0.2, using: &generator) }
        let (_, parsed) = try jsonRoundTripFloats(floats)
        jsonExpectSameBits(parsed, floats)
    }

    @Test("the digits are Swift's shortest, closest digits")
    func digitsMatchSwiftDescription() {
        var generator = JSONTestRandom(seed: 7)
        for _ in 0 ..< 50_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7FFF_FFFF)
            guard value.isFinite, value != 0 else { continue }
            let ours = FloatShortestDecimal.decimal(for: value)
            let (significand, exponent) = jsonSwiftShortestDecimal(value)
            #expect(UInt64(ours.significand) == significand && ours.exponent == exponent, "\(value)")
        }
    }

    static let specialValues: [Float] = [
        0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.5, 100, 1e7, 16_777_216, 16_777_218,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        .leastNormalMagnitude.nextDown, .leastNormalMagnitude.nextUp,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .greatestFiniteMagnitude.nextDown,
        .ulpOfOne, Float(1).nextUp, Float(1).nextDown, .pi, 2.7182817, 3.4028235e38, 1.1754944e-38,
        Float(bitPattern: 0x0000_0001), Float(bitPattern: 0x0000_0007), Float(bitPattern: 0x007F_FFFF),
        Float(bitPattern: 0x0080_0000), Float(bitPattern: 0x0100_0000), Float(bitPattern: 0x7F7F_FFFF),
    ]

    @Test("special values: zeros, subnormals, extremes", arguments: specialValues)
    func specialValue(_ value: Float) throws {
        let (text, parsed) = try jsonRoundTripFloats([value])
        #expect(parsed.count == 1)
        #expect(parsed.first?.bitPattern == value.bitPattern, "\(text)")
        #expect(Float(String(text.dropFirst().dropLast()))?.bitPattern == value.bitPattern, "Swift reads \(text) back")
    }

    @Test("powers of ten and their neighbours round-trip")
    func powersOfTen() throws {
        var floats: [Float] = []
        for exponent in -45 ... 38 {
            guard let value = Float("1e\(exponent)"), value.isFinite, value != 0 else { continue }
            floats += [value, value.nextUp, value.nextDown, -value]
        }
        let (_, parsed) = try jsonRoundTripFloats(floats)
        jsonExpectSameBits(parsed, floats)
    }

    @Test("every binade's boundaries round-trip")
    func binadeBoundaries() throws {
        var floats: [Float] = []
        for exponentBits: UInt32 in 0 ... 254 {
            let base = exponentBits << 23
            for fraction: UInt32 in [0, 1, 2, 0x3F_FFFF, 0x40_0000, 0x7F_FFFE, 0x7F_FFFF] {
                let value = Float(bitPattern: base | fraction)
                if value != 0 { floats.append(value) }
            }
        }
        let (_, parsed) = try jsonRoundTripFloats(floats)
        jsonExpectSameBits(parsed, floats)
    }

    @Test(
        "text format",
        arguments: [
            (Float(0), "0.0"), (-0.0, "-0.0"), (1, "1.0"), (-1, "-1.0"), (0.1, "0.1"), (1.5, "1.5"),
            (100, "100.0"), (123.25, "123.25"), (0.0001, "0.0001"), (0.00001, "1e-5"), (1.5e-7, "1.5e-7"),
            (1e15, "1000000000000000.0"), (1e16, "1e16"), (3.4028235e38, "3.4028235e38"),
            (-3.4028235e38, "-3.4028235e38"), (.leastNonzeroMagnitude, "1e-45"), (0.012345678, "0.012345678"),
            (16_777_216, "16777216.0"), (.leastNormalMagnitude, "1.1754944e-38"),
        ])
    func textFormat(_ value: Float, _ expected: String) {
        #expect(jsonFloatText(value) == expected)
    }

    @Test("array layout: compact, comma separated")
    func arrayLayout() throws {
        let (text, _) = try jsonRoundTripFloats([0.5, -0.0, .leastNonzeroMagnitude, 2])
        #expect(text == "[0.5,-0.0,1e-45,2.0]")
        #expect(try jsonRoundTripFloats([]).text == "[]")
    }

    @Test("long arrays cross the writer's block boundaries intact")
    func longArrays() throws {
        let floats = (0 ..< 5_000).map { Float($0) * 0.37 - 100 }
        let (_, parsed) = try jsonRoundTripFloats(floats)
        jsonExpectSameBits(parsed, floats)
    }

    @Test("log helpers match exact values")
    func logarithmHelpers() {
        // No q·log10(2) in this range is within 1e-9 of an integer, so Double is exact enough.
        for q in -149 ... 104 {
            let expected = Int((Double(q) * 0.301_029_995_663_981_2).rounded(.down))
            #expect(FloatShortestDecimal.floorLog10Pow2(q) == expected, "q = \(q)")
            let threeQuarters = Int((Double(q) * 0.301_029_995_663_981_2 - 0.124_938_736_608_299_95).rounded(.down))
            #expect(FloatShortestDecimal.floorLog10ThreeQuartersPow2(q) == threeQuarters, "q = \(q)")
        }
        for e in -50 ... 50 {
            let expected = Int((Double(e) * 3.321_928_094_887_362).rounded(.down))
            #expect(FloatShortestDecimal.floorLog2Pow10(e) == expected, "e = \(e)")
        }
    }
}
