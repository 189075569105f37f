/// Value comparisons used by filters: numbers by value across `.int` and `.double` (exactly, with no
/// precision lost converting a large `Int64` to `Double`), strings by Swift's `String` semantics.
enum JSONValueComparison {
    /// The order of two comparable values.
    enum Order: Sendable {
        case less, equal, greater
    }

    /// Compares an integer with a double exactly; `nil` when `b` is NaN.
    ///
    /// `Int64(2^63 - 1)` is less than `Double(2^63)`, and `Int64(2^53 + 1)` is greater than
    /// `Double(2^53)`, although both pairs are equal after a conversion to `Double`.
    @inline(__always)
    static func compare(_ a: Int64, _ b: Double) -> Order? {
        if b.isNaN { return nil }
        if b >= 9_223_372_036_854_775_808.0 { return .less }  // 2^63: above every Int64
        if b < -9_223_372_036_854_775_808.0 { return .greater }
        let whole = b.rounded(.towardZero)  // in [-2^63, 2^63): exact as an Int64
        let wholeInt = Int64(whole)
        if a < wholeInt { return .less }
        if a > wholeInt { return .greater }
        if b > whole { return .less }
        if b < whole { return .greater }
        return .equal
    }

    /// Compares two numbers by value; `nil` if either is not a number or is NaN.
    @inline(__always)
    static func compareNumbers(_ a: JSONValue, _ b: JSONValue) -> Order? {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            return x < y ? .less : (x > y ? .greater : .equal)
        case (.int(let x), .double(let y)):
            return compare(x, y)
        case (.double(let x), .int(let y)):
            return compare(y, x).map(reversed)
        case (.double(let x), .double(let y)):
            if x < y { return .less }
            if x > y { return .greater }
            return x == y ? .equal : nil
        default:
            return nil
        }
    }

    /// Compares two strings with Swift's `String` ordering: Unicode scalar values of the canonically
    /// normalised strings, so canonically equivalent strings (NFC and NFD `"café"`) are equal. It is
    /// not locale-aware (`"Z" < "a"`).
    @inline(__always)
    static func compareStrings(_ a: String, _ b: String) -> Order {
        a < b ? .less : (a == b ? .equal : .greater)
    }

    private static func reversed(_ order: Order) -> Order {
        switch order {
        case .less: return .greater
        case .equal: return .equal
        case .greater: return .less
        }
    }

    /// JSON equality: numbers by value (`1 == 1.0`, exact for large integers), strings as Swift
    /// strings (canonical equivalence), arrays element by element, objects by their key sets and
    /// values; Booleans and `null` only equal themselves. NaN equals nothing. Iterative, so deep
    /// values are safe.
    @inline(__always)
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        // Scalars first, without the container machinery.
        switch a {
        case .string(let x):
            guard case .string(let y) = b else { return false }
            return x == y
        case .int(let x):
            switch b {
            case .int(let y): return x == y
            case .double(let y): return compare(x, y) == .equal
            default: return false
            }
        case .double(let x):
            switch b {
            case .double(let y): return x == y
            case .int(let y): return compare(y, x) == .equal
            default: return false
            }
        case .bool(let x):
            guard case .bool(let y) = b else { return false }
            return x == y
        case .null:
            return b.isNull
        case .array, .object:
            return equalContainers(a, b)
        }
    }

    private static func equalContainers(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var pending: [(JSONValue, JSONValue)] = []
        var left = a
        var right = b
        while true {
            switch (left, right) {
            case (.null, .null):
                break
            case (.bool(let x), .bool(let y)):
                guard x == y else { return false }
            case (.string(let x), .string(let y)):
                guard x == y else { return false }
            case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
                guard compareNumbers(left, right) == .equal else { return false }
            case (.array(let x), .array(let y)):
                guard x.count == y.count else { return false }
                for index in x.indices { pending.append((x[index], y[index])) }
            case (.object(let x), .object(let y)):
                guard x.count == y.count else { return false }
                for (key, value) in x {
                    guard let other = y[key] else { return false }
                    pending.append((value, other))
                }
            default:
                return false
            }
            guard let next = pending.popLast() else { return true }
            (left, right) = next
        }
    }
}
