import Testing

@testable import VectorStorage

/// Runs `body` with a parser over `text`.
func withJSONParser<T>(_ text: String, _ body: (inout JSONPullParser) throws -> T) throws -> T {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        var parser = JSONPullParser(raw)
        return try body(&parser)
    }
}

func jsonParseFloat(_ text: String) throws -> Float {
    try withJSONParser(text) { parser in
        let value = try parser.readFloat()
        try parser.finish()
        return value
    }
}

func jsonParseDouble(_ text: String) throws -> Double {
    try withJSONParser(text) { parser in
        let value = try parser.readDouble()
        try parser.finish()
        return value
    }
}

func jsonParseInt64(_ text: String) throws -> Int64 {
    try withJSONParser(text) { parser in
        let value = try parser.readInt64()
        try parser.finish()
        return value
    }
}

/// The `JSONParseError` `body` throws, or `nil` (recorded as an issue) if it throws none.
func jsonParseError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> JSONParseError? {
    do {
        try body()
        Issue.record("expected a JSONParseError", sourceLocation: sourceLocation)
        return nil
    } catch let error as JSONParseError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("JSON number parsing")
struct JSONNumberParsingTests {
    /// Expected bit patterns computed with exact rational arithmetic (Python `fractions`).
    @Test(
        "seed-style numbers read as the correctly rounded Float",
        arguments: [
            ("1", 0x3F80_0000), ("-0", 0x8000_0000), ("0", 0), ("-0.0", 0x8000_0000), ("0.0", 0),
            ("1.5e-7", 0x3421_0FB0), ("3.4028235e38", 0x7F7F_FFFF), ("3.4028234663852886e+38", 0x7F7F_FFFF),
            ("1e-45", 0x0000_0001), ("1.401298464324817e-45", 0x0000_0001), ("0.10000000149011612", 0x3DCC_CCCD),
            ("0.1", 0x3DCC_CCCD), ("-0.012345678918063641", 0xBC4A_4588), ("2.5E-3", 0x3B23_D70A),
            ("1E3", 0x447A_0000), ("1e+3", 0x447A_0000), ("123456789012345678901234567890", 0x6FC7_7488),
            ("0.000000000000000000000000000000000000011754943508222875", 0x0080_0000),
            ("1.1754942e-38", 0x007F_FFFF), ("16777217", 0x4B80_0000), ("16777219", 0x4B80_0002),
            ("1e-50", 0), ("-1e-50", 0x8000_0000), ("7e-46", 0), ("8e-46", 0x0000_0001),
        ] as [(String, UInt32)])
    func seedFloats(_ text: String, _ expected: UInt32) throws {
        #expect(try jsonParseFloat(text).bitPattern == expected, "\(text)")
    }

    @Test("Float rounding right at and around halfway points")
    func floatHalfwayCases() throws {
        // 1 + 2^-24 is exactly halfway between 1 and the next Float: ties go to the even 1.0.
        #expect(try jsonParseFloat("1.000000059604644775390625") == 1)
        // A hair above halfway must round up, even though the nearest Double is the halfway point
        // (a Double-then-Float conversion would get this wrong).
        #expect(try jsonParseFloat("1.000000059604644775390625000000000001") == Float(1).nextUp)
        #expect(try jsonParseFloat("1.00000005960464477539062499999999") == 1)
        // Halfway between the largest Float and 2^128 overflows; just below it does not.
        #expect(try jsonParseFloat("340282356779733661637539395458142568447") == .greatestFiniteMagnitude)
        #expect(jsonParseError { _ = try jsonParseFloat("340282356779733661637539395458142568448") }?.code == .numberOutOfRange)
        // The halfway point between 0 and the least subnormal rounds to 0 (even); above it, up.
        #expect(try jsonParseFloat("7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46") == 0)
        #expect(try jsonParseFloat("7.0064923216240853546186479164495806564013097093825788587853414194489554134293030074331909418106079101563e-46") == .leastNonzeroMagnitude)
    }

    @Test("random decimals with up to 20 digits agree with Swift's correctly rounded Float(String)")
    func randomDecimalsAgreeWithStdlib() throws {
        var generator = JSONTestRandom(seed: 99)
        for _ in 0 ..< 20_000 {
            let digits = Int.random(in: 1 ... 20, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String(Int.random(in: 1 ... 9, using: &generator))
            for _ in 1 ..< digits { text += String(Int.random(in: 0 ... 9, using: &generator)) }
            text += "e\(Int.random(in: -60 ... 30, using: &generator))"
            let expected = Float(text)!
            guard expected.isFinite else { continue }
            #expect(try jsonParseFloat(text).bitPattern == expected.bitPattern, "\(text)")
        }
    }

    /// Expected bit patterns from Python's correctly rounded `float()`.
    @Test(
        "Double values, fast path and fallback",
        arguments: [
            ("0.1", 0x3FB9_9999_9999_999A), ("-0", 0x8000_0000_0000_0000), ("1e22", 0x4480_F0CF_064D_D592),
            ("1e23", 0x44B5_2D02_C7E1_4AF6), ("123e30", 0x4698_41E9_BD60_4769),
            ("9007199254740993", 0x4340_0000_0000_0000), ("2.2250738585072014e-308", 0x0010_0000_0000_0000),
            ("4.9e-324", 0x0000_0000_0000_0001), ("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFF),
            ("0.30000000000000004", 0x3FD3_3333_3333_3334), ("1e-400", 0),
        ] as [(String, UInt64)])
    func doubles(_ text: String, _ expected: UInt64) throws {
        #expect(try jsonParseDouble(text).bitPattern == expected, "\(text)")
    }

    @Test("Int64 limits")
    func integers() throws {
        #expect(try jsonParseInt64("0") == 0)
        #expect(try jsonParseInt64("-0") == 0)
        #expect(try jsonParseInt64("9223372036854775807") == .max)
        #expect(try jsonParseInt64("-9223372036854775808") == .min)
        #expect(try jsonParseInt64("  42  ") == 42)
        let overflow = jsonParseError { _ = try jsonParseInt64("9223372036854775808") }
        #expect(overflow?.code == .numberOutOfRange && overflow?.offset == 0)
        #expect(jsonParseError { _ = try jsonParseInt64("-9223372036854775809") }?.code == .numberOutOfRange)
        #expect(jsonParseError { _ = try jsonParseInt64("123456789012345678901") }?.code == .numberOutOfRange)
        #expect(jsonParseError { _ = try jsonParseInt64("1.0") }?.code == .typeMismatch)
        #expect(jsonParseError { _ = try jsonParseInt64("1e3") }?.code == .typeMismatch)
        #expect(jsonParseError { _ = try jsonParseInt64("\"1\"") }?.code == .typeMismatch)
    }

    @Test("numbers out of range for the requested type")
    func outOfRange() throws {
        let float = jsonParseError { _ = try jsonParseFloat("1e39") }
        #expect(float?.code == .numberOutOfRange && float?.offset == 0)
        #expect(jsonParseError { _ = try jsonParseFloat("-3.5e38") }?.code == .numberOutOfRange)
        #expect(jsonParseError { _ = try jsonParseFloat("1e99999999999999999999") }?.code == .numberOutOfRange)
        #expect(jsonParseError { _ = try jsonParseDouble("1e400") }?.code == .numberOutOfRange)
        #expect(jsonParseError { _ = try jsonParseDouble("-1e309") }?.code == .numberOutOfRange)
        let inArray = jsonParseError { _ = try withJSONParser("[1, 2, 1e39]") { p in var f: [Float] = []; try p.readFloatArray(appendingTo: &f) } }
        #expect(inArray?.code == .numberOutOfRange && inArray?.offset == 7)
    }

    @Test("readValue: integers stay integers, overflowing integers and fractions become doubles")
    func numberValues() throws {
        #expect(try JSONValue.parse("42") == .int(42))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("1.0") == .double(1))
        #expect(try JSONValue.parse("1e2") == .double(100))
        #expect(try JSONValue.parse("-0") == .int(0))
        #expect(try JSONValue.parse("-0.0") == .double(-0.0))
        #expect(jsonParseError { _ = try JSONValue.parse("[1e400]") }?.offset == 1)
    }

    @Test("malformed numbers", arguments: [
        ("01", 0), ("-01", 0), ("1.", 0), (".5", 0), ("+1", 0), ("-", 0), ("1e", 0), ("1e+", 0), ("--1", 0),
        ("[1, 00]", 4), ("[0x10]", 2), ("1.e5", 0),
    ])
    func malformedNumbers(_ text: String, _ offset: Int) {
        let error = jsonParseError { _ = try JSONValue.parse(text) }
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
        #expect(error.map { [.invalidNumber, .unexpectedEnd, .unexpectedCharacter].contains($0.code) } == true)
    }
}
