/// A strict, streaming JSON reader over a byte buffer.
///
/// The parser reads one token at a time, so huge files (`ann_metadata.json` with millions of
/// floats) are read without building a ``JSONValue`` per number:
///
/// ```swift
/// try bytes.withUnsafeBytes { raw in
///     var parser = JSONPullParser(raw)
///     try parser.beginObject()
///     while let key = try parser.nextKey() {
///         switch key {
///         case "dimension":
///             dimension = Int(try parser.readInt64())
///         case "vectors":                              // [[id, [floats]], ...]
///             try parser.beginArray()
///             while try parser.nextElement() {
///                 try parser.beginArray()
///                 guard try parser.nextElement() else { throw MyError.emptyPair }
///                 ids.append(try parser.readID())
///                 guard try parser.nextElement() else { throw MyError.missingVector }
///                 try parser.readFloatArray(appendingTo: &floats)
///                 guard try !parser.nextElement() else { throw MyError.extraMember }  // consumes "]"
///             }
///         default:
///             try parser.skipValue()
///         }
///     }
///     try parser.finish()
/// }
/// ```
///
/// `nextKey()` and `nextElement()` consume the separating commas and the closing bracket; after
/// either returns a key or `true`, the caller reads (or skips) exactly one value.
///
/// Strictness (RFC 8259), with the choices this reader makes:
/// - `NaN`, `Infinity`, `-Infinity`, trailing commas, leading zeros (`01`), `+1`, `.5`, `1.` are
///   errors; so is anything but whitespace after the document (``finish()``).
/// - Strings must be well-formed UTF-8 with no raw control characters. A `\u` escape of a lone
///   UTF-16 surrogate (`"\ud800"`) is an error (``JSONParseError/Code/loneSurrogate``): a Swift
///   `String` cannot hold one, and replacing it would silently change the data.
/// - A UTF-8 byte-order mark (EF BB BF) at the very start of the buffer is skipped (some Windows
///   tools write one); anywhere else it is an ordinary character (inside strings) or an error.
/// - Numbers out of range for the requested type are errors (`1e39` as a `Float`, `2^63` as an
///   `Int64`, `1e400` as a `Double`); numbers too small for the type round to (signed) zero, as
///   correct rounding demands.
/// - Duplicate object keys in ``readValue(maxDepth:)``: see there (last wins, reported).
///
/// Every error is a ``JSONParseError`` with the byte offset. After an error the parser's position is
/// unspecified; use ``mark()`` / ``restore(_:)`` and ``skipValueLeniently()`` to resume after a bad
/// record in a sequence of records.
///
/// The buffer must stay valid and unchanged while the parser is used.
struct JSONPullParser {
    /// The kind of the next value, as announced by its first byte.
    enum Kind: Sendable, Hashable {
        case object, array, string, number, bool, null
    }

    /// The state of one open container.
    enum Container: UInt8, Sendable {
        case arrayStart, arrayNext, objectStart, objectNext
    }

    /// A saved position (see ``mark()``).
    struct Mark {
        fileprivate let offset: Int
        fileprivate let containers: [Container]
    }

    /// A duplicate key met by ``readValue(maxDepth:)``.
    struct DuplicateKey: Sendable, Hashable {
        /// The key as spelled by the later (winning) occurrence.
        let key: String
        /// The key as spelled by the earlier (dropped) occurrence; its UTF-8 differs from `key` when
        /// the two are only canonically equivalent (NFC `"café"` vs NFD `"café"`).
        let previousSpelling: String
        /// Byte offset of the later occurrence.
        let offset: Int

        /// Whether the two keys differ in bytes but are equal as Swift strings (canonical
        /// equivalence, for example NFC vs NFD).
        var isCanonicalEquivalent: Bool { !key.utf8.elementsEqual(previousSpelling.utf8) }
    }

    let base: UnsafePointer<UInt8>
    /// The number of bytes in the buffer.
    let count: Int
    /// The byte offset of the next unread byte.
    var offset: Int
    var containers: [Container] = []
    /// The offset of the opening quote of the key ``nextKey()`` returned last.
    var lastKeyOffset = 0

    /// How many duplicate keys ``readValue(maxDepth:)`` met so far (each one dropped an earlier
    /// member).
    var duplicateKeyCount = 0
    /// Called for each duplicate key ``readValue(maxDepth:)`` meets, before the earlier member is
    /// replaced; use it to log what was dropped.
    var duplicateKeyHandler: ((DuplicateKey) -> Void)?

    /// A parser over `buffer`, positioned at its start (after a UTF-8 byte-order mark, if any).
    init(_ buffer: UnsafeRawBufferPointer) {
        let bytes = buffer.bindMemory(to: UInt8.self)
        // An empty buffer may have no base address; it is never dereferenced (count is 0).
        base = UnsafePointer(bytes.baseAddress) ?? UnsafePointer(bitPattern: 0x10)!
        count = bytes.count
        offset = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            offset = 3
        }
    }

    /// How many containers are open.
    var depth: Int { containers.count }

    // MARK: Whitespace and kinds

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < count {
            let byte = base[offset]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            offset += 1
        }
    }

    /// The kind of the next value, without consuming it.
    ///
    /// - Throws: ``JSONParseError`` at the end of the input, at `NaN`/`Infinity`, or at a byte that
    ///   cannot start a value.
    mutating func peekKind() throws -> Kind {
        skipWhitespace()
        guard offset < count else { throw error(.unexpectedEnd, "expected a value, found the end of the input") }
        if let kind = Self.kind(startingWith: base[offset]) { return kind }
        throw invalidValueStart()
    }

    @inline(__always)
    static func kind(startingWith byte: UInt8) -> Kind? {
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return nil
        }
    }

    /// The error for a byte at `offset` that cannot start a value.
    func invalidValueStart() -> JSONParseError {
        let byte = base[offset]
        if byte == UInt8(ascii: "N") || byte == UInt8(ascii: "I") {
            return error(.nonFiniteLiteral, "NaN and Infinity are not valid JSON numbers")
        }
        return error(.unexpectedCharacter, "expected a value, found \(Self.describe(byte))")
    }

    /// Throws unless the next value (whitespace skipped) starts with `byte`; the error names
    /// `expected`, the kind wanted.
    @inline(__always)
    mutating func expectValueStart(_ byte: UInt8, _ expected: StaticString) throws {
        skipWhitespace()
        guard offset < count, base[offset] == byte else { throw unexpectedValue(expected) }
    }

    /// The error for a value at the current offset that is not `expected`.
    func unexpectedValue(_ expected: StaticString) -> JSONParseError {
        guard offset < count else {
            return error(.unexpectedEnd, "expected \(expected), found the end of the input")
        }
        if let kind = Self.kind(startingWith: base[offset]) {
            return error(.typeMismatch, "expected \(expected), found \(Self.describe(kind))")
        }
        return invalidValueStart()
    }

    // MARK: End, marks

    /// Checks that only whitespace remains after the document.
    ///
    /// - Throws: ``JSONParseError/Code/trailingContent`` otherwise.
    /// - Precondition: every container that was begun has been read to its end.
    mutating func finish() throws {
        precondition(containers.isEmpty, "finish() with \(containers.count) container(s) still open")
        skipWhitespace()
        if offset < count {
            throw error(.trailingContent, "expected the end of the input after the document, found \(Self.describe(base[offset]))")
        }
    }

    /// The current position and container state, for ``restore(_:)``.
    func mark() -> Mark { Mark(offset: offset, containers: containers) }

    /// Returns to a position saved with ``mark()``, typically after an error inside a record, before
    /// ``skipValueLeniently()``.
    mutating func restore(_ mark: Mark) {
        offset = mark.offset
        containers = mark.containers
    }

    // MARK: Errors

    /// An error at the current offset.
    func error(_ code: JSONParseError.Code, _ message: String) -> JSONParseError {
        JSONParseError(code, at: offset, message)
    }

    /// A byte as a message shows it: `'x'` for printable ASCII, `byte 0xNN` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(byte < 0x10 ? "0" : "")\(hex)"
    }

    static func describe(_ kind: Kind) -> String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a Boolean"
        case .null: return "null"
        }
    }
}

extension JSONPullParser.Container {
    var isArray: Bool { self == .arrayStart || self == .arrayNext }
}
