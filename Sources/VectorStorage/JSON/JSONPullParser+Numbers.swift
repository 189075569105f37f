extension JSONPullParser {
    /// Reads an integer.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a number (``JSONParseError/Code/typeMismatch``),
    ///   has a fraction or exponent (`typeMismatch`), or does not fit in an `Int64`
    ///   (``JSONParseError/Code/numberOutOfRange``).
    mutating func readInt64() throws -> Int64 {
        let start = try numberStart("an integer")
        let number = try scanNumber()
        guard number.isIntegerSyntax else {
            throw JSONParseError(.typeMismatch, at: start, "expected an integer, found \(tokenText(start)) (a fraction or an exponent)")
        }
        guard let value = number.int64Value else {
            throw JSONParseError(.numberOutOfRange, at: start, "\(tokenText(start)) does not fit in a 64-bit signed integer")
        }
        return value
    }

    /// Reads a number as the correctly rounded `Double`.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a number, or is too large for a
    ///   `Double` (``JSONParseError/Code/numberOutOfRange``).
    mutating func readDouble() throws -> Double {
        let start = try numberStart("a number")
        let number = try scanNumber()
        return try doubleValue(number, start: start)
    }

    /// Reads a number as the correctly rounded `Float` (bit-exact for everything ``JSONWriter``
    /// writes, and for any decimal another writer produced).
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a number, or is too large for a
    ///   `Float` (`1e39`: ``JSONParseError/Code/numberOutOfRange``).
    mutating func readFloat() throws -> Float {
        let start = try numberStart("a number")
        let number = try scanNumber()
        return try floatValue(number, start: start)
    }

    /// Reads an array of numbers, appending them to `floats`; returns how many were appended.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not an array, an element is not a number, or
    ///   a number is too large for a `Float`. Elements read before the error stay appended.
    @discardableResult
    mutating func readFloatArray(appendingTo floats: inout [Float]) throws -> Int {
        try beginArray()
        let before = floats.count
        containers.removeLast()  // the loop below tracks the commas itself
        skipWhitespace()
        if offset < count && base[offset] == UInt8(ascii: "]") {
            offset += 1
            return 0
        }
        while true {
            skipWhitespace()
            guard offset < count else { throw error(.unexpectedEnd, "expected a number, found the end of the input") }
            let start = offset
            let first = base[offset]
            guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
                if first == UInt8(ascii: "]") && floats.count > before {
                    throw error(.trailingComma, "a comma must be followed by another element, found ']'")
                }
                throw unexpectedValue("a number")
            }
            let number = try scanNumber()
            floats.append(try floatValue(number, start: start))
            skipWhitespace()
            guard offset < count else {
                throw error(.unexpectedEnd, "expected ',' or ']' in an array, found the end of the input")
            }
            let separator = base[offset]
            offset += 1
            if separator == UInt8(ascii: ",") { continue }
            if separator == UInt8(ascii: "]") { return floats.count - before }
            offset -= 1
            throw error(.unexpectedCharacter, "expected ',' or ']' after an array element, found \(Self.describe(separator))")
        }
    }

    /// Reads a number as a ``JSONValue``: integer syntax that fits in an `Int64` gives `.int`;
    /// anything else (a fraction, an exponent, or an integer too large for `Int64`) gives `.double`.
    ///
    /// - Throws: ``JSONParseError`` if the next value is not a number or is too large for a `Double`.
    mutating func readNumberValue() throws -> JSONValue {
        let start = try numberStart("a number")
        let number = try scanNumber()
        if let integer = number.int64Value { return .int(integer) }
        return .double(try doubleValue(number, start: start))
    }

    // MARK: Scanning

    /// Skips whitespace and checks that a number starts here; returns its offset.
    @inline(__always)
    private mutating func numberStart(_ expected: StaticString) throws -> Int {
        skipWhitespace()
        guard offset < count else { throw unexpectedValue(expected) }
        let first = base[offset]
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            throw unexpectedValue(expected)
        }
        return offset
    }

    /// Scans the JSON number at the current offset (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`)
    /// and moves past it.
    @inline(__always)
    mutating func scanNumber() throws -> JSONNumberToken {
        var number = JSONNumberToken()
        let start = offset
        var i = offset
        if i < count && base[i] == UInt8(ascii: "-") {
            number.negative = true
            i += 1
        }
        guard i < count else { throw JSONParseError(.unexpectedEnd, at: start, "expected a digit after '-', found the end of the input") }
        let first = base[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < count && Self.isDigit(base[i]) {
                throw JSONParseError(.invalidNumber, at: start, "a number must not have a leading zero")
            }
        } else if Self.isDigit(first) {
            while i < count {
                let digit = base[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if number.digitCount < JSONNumberToken.maxDigits {
                    number.significand = number.significand &* 10 &+ UInt64(digit)
                    number.digitCount += 1
                } else {
                    if digit != 0 { number.isExact = false }
                    number.exponent += 1
                }
                i += 1
            }
        } else if first == UInt8(ascii: "I") || first == UInt8(ascii: "N") {
            throw JSONParseError(.nonFiniteLiteral, at: start, "-Infinity and NaN are not valid JSON numbers")
        } else {
            throw JSONParseError(.invalidNumber, at: start, "expected a digit after '-', found \(Self.describe(first))")
        }
        if i < count && base[i] == UInt8(ascii: ".") {
            number.isIntegerSyntax = false
            i += 1
            guard i < count && Self.isDigit(base[i]) else {
                throw JSONParseError(.invalidNumber, at: start, "a number needs a digit after its decimal point")
            }
            while i < count {
                let digit = base[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if number.digitCount == 0 && digit == 0 {
                    number.exponent -= 1  // a leading zero of the fraction
                } else if number.digitCount < JSONNumberToken.maxDigits {
                    number.significand = number.significand &* 10 &+ UInt64(digit)
                    number.digitCount += 1
                    number.exponent -= 1
                } else if digit != 0 {
                    number.isExact = false
                }
                i += 1
            }
        }
        if i < count && (base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E")) {
            number.isIntegerSyntax = false
            i += 1
            var negativeExponent = false
            if i < count && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) {
                negativeExponent = base[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count && Self.isDigit(base[i]) else {
                throw JSONParseError(.invalidNumber, at: start, "a number needs a digit in its exponent")
            }
            var value = 0
            while i < count {
                let digit = base[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if value < 1_000_000 { value = value * 10 + Int(digit) }  // saturates far out of range
                i += 1
            }
            number.exponent += negativeExponent ? -value : value
        }
        if number.significand == 0 {
            number.exponent = 0
            number.digitCount = 0
        }
        offset = i
        return number
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: Conversions

    @inline(__always)
    private func floatValue(_ number: JSONNumberToken, start: Int) throws -> Float {
        let value: Float
        if let fast = number.fastFloat {
            value = fast
        } else {
            value = Float(tokenText(start)) ?? .infinity
        }
        guard value.isFinite else {
            throw JSONParseError(.numberOutOfRange, at: start, "\(tokenText(start)) is too large for a 32-bit Float (largest: 3.4028235e38)")
        }
        return value
    }

    private func doubleValue(_ number: JSONNumberToken, start: Int) throws -> Double {
        if number.significand == 0 { return number.negative ? -0.0 : 0.0 }
        let value = number.fastDouble ?? Double(tokenText(start)) ?? .infinity
        guard value.isFinite else {
            throw JSONParseError(.numberOutOfRange, at: start, "\(tokenText(start)) is too large for a Double (largest: 1.7976931348623157e308)")
        }
        return value
    }

    /// The text from `start` to the current offset (the number just scanned).
    private func tokenText(_ start: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: offset - start), as: UTF8.self)
    }
}
