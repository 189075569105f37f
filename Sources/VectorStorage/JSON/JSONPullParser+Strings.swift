extension JSONPullParser {
    /// Reads a string, decoding escapes.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a string, or for invalid UTF-8, a raw
    ///   control character, an unknown escape, a lone surrogate escape, or a missing closing quote.
    mutating func readString() throws -> String {
        try expectValueStart(UInt8(ascii: "\""), "a string")
        let start = offset + 1
        var i = start
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                offset = i + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(start: start, firstEscape: i)
            }
            if byte < 0x20 { throw controlCharacterError(at: i) }
            i = byte < 0x80 ? i + 1 : try endOfUTF8Sequence(at: i)
        }
        throw JSONParseError(.unexpectedEnd, at: start - 1, "unterminated string")
    }

    /// Validates a string without building it (for ``skipValue()``).
    mutating func skipString() throws {
        try expectValueStart(UInt8(ascii: "\""), "a string")
        let start = offset
        var i = start + 1
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                offset = i + 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                (_, i) = try unescape(at: i)
            } else if byte < 0x20 {
                throw controlCharacterError(at: i)
            } else {
                i = byte < 0x80 ? i + 1 : try endOfUTF8Sequence(at: i)
            }
        }
        throw JSONParseError(.unexpectedEnd, at: start, "unterminated string")
    }

    /// The slow path of ``readString()``: copies into a scratch buffer while decoding escapes.
    private mutating func readEscapedString(start: Int, firstEscape: Int) throws -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(firstEscape - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape - start))
        var i = firstEscape
        while i < count {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                offset = i + 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                let scalar: Unicode.Scalar
                (scalar, i) = try unescape(at: i)
                utf8.append(contentsOf: UTF8.encode(scalar)!)
            } else if byte < 0x20 {
                throw controlCharacterError(at: i)
            } else if byte < 0x80 {
                utf8.append(byte)
                i += 1
            } else {
                let end = try endOfUTF8Sequence(at: i)
                utf8.append(contentsOf: UnsafeBufferPointer(start: base + i, count: end - i))
                i = end
            }
        }
        throw JSONParseError(.unexpectedEnd, at: start - 1, "unterminated string")
    }

    /// Decodes the escape starting with the backslash at `i`; returns the scalar and the offset
    /// after the escape (after both halves of a surrogate pair).
    private func unescape(at i: Int) throws -> (Unicode.Scalar, Int) {
        guard i + 1 < count else { throw JSONParseError(.unexpectedEnd, at: i, "unterminated escape in a string") }
        switch base[i + 1] {
        case UInt8(ascii: "\""): return ("\"", i + 2)
        case UInt8(ascii: "\\"): return ("\\", i + 2)
        case UInt8(ascii: "/"): return ("/", i + 2)
        case UInt8(ascii: "b"): return ("\u{08}", i + 2)
        case UInt8(ascii: "f"): return ("\u{0C}", i + 2)
        case UInt8(ascii: "n"): return ("\n", i + 2)
        case UInt8(ascii: "r"): return ("\r", i + 2)
        case UInt8(ascii: "t"): return ("\t", i + 2)
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: i + 2)
            switch unit {
            case 0xD800 ... 0xDBFF:
                guard i + 7 < count, base[i + 6] == UInt8(ascii: "\\"), base[i + 7] == UInt8(ascii: "u") else {
                    throw loneSurrogateError(unit, at: i)
                }
                let low = try hexQuad(at: i + 8)
                guard (0xDC00 ... 0xDFFF).contains(low) else { throw loneSurrogateError(unit, at: i) }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                return (Unicode.Scalar(value)!, i + 12)
            case 0xDC00 ... 0xDFFF:
                throw loneSurrogateError(unit, at: i)
            default:
                return (Unicode.Scalar(unit)!, i + 6)
            }
        default:
            throw JSONParseError(
                .invalidString, at: i,
                "invalid escape '\\\(Character(Unicode.Scalar(base[i + 1])))' in a string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    /// The four hex digits at `i` as a UTF-16 code unit.
    private func hexQuad(at i: Int) throws -> UInt16 {
        guard i + 4 <= count else { throw JSONParseError(.unexpectedEnd, at: i - 2, "unterminated \\u escape") }
        var value: UInt16 = 0
        for j in i ..< i + 4 {
            let byte = base[j]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(.invalidString, at: i - 2, "a \\u escape needs four hex digits, found \(Self.describe(byte))")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private func loneSurrogateError(_ unit: UInt16, at i: Int) -> JSONParseError {
        let hex = String(unit, radix: 16)
        return JSONParseError(
            .loneSurrogate, at: i,
            "\\u\(hex) is half of a UTF-16 surrogate pair without its other half; it cannot be represented as Unicode text")
    }

    private func controlCharacterError(at i: Int) -> JSONParseError {
        JSONParseError(.invalidString, at: i, "raw control character \(Self.describe(base[i])) in a string; it must be escaped")
    }

    /// Validates the multi-byte UTF-8 sequence starting at `i` (a byte ≥ 0x80) and returns the
    /// offset after it. Well-formed means Unicode's table 3-7: no overlong forms, no surrogates,
    /// nothing above U+10FFFF.
    @inline(__always)
    func endOfUTF8Sequence(at i: Int) throws -> Int {
        let lead = base[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw invalidUTF8Error(at: i)
        }
        guard i + length <= count else { throw invalidUTF8Error(at: i) }
        let second = base[i + 1]
        guard second >= low && second <= high else { throw invalidUTF8Error(at: i) }
        for j in i + 2 ..< i + length where base[j] & 0xC0 != 0x80 {
            throw invalidUTF8Error(at: i)
        }
        return i + length
    }

    private func invalidUTF8Error(at i: Int) -> JSONParseError {
        JSONParseError(.invalidUTF8, at: i, "invalid UTF-8 sequence starting with \(Self.describe(base[i])) in a string")
    }
}
