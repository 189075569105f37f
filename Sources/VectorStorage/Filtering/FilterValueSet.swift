/// A list of filter values with fast membership by JSON equality (numbers by value).
struct FilterValueSet: Sendable {
    /// Values compared one by one: all of them for short lists, only arrays and objects otherwise.
    private let linear: [JSONValue]
    /// For long lists: the scalar values in canonical form (see ``canonicalScalar(_:)``).
    private let hashed: Set<JSONValue>?

    /// Lists longer than this hash their scalars.
    private static let linearLimit = 8

    init(_ values: [JSONValue]) {
        if values.count > Self.linearLimit {
            linear = values.filter(\.isContainer)
            hashed = Set(values.filter { !$0.isContainer }.map(Self.canonicalScalar))
        } else {
            linear = values
            hashed = nil
        }
    }

    func contains(_ value: JSONValue) -> Bool {
        if let hashed, !value.isContainer {
            return hashed.contains(Self.canonicalScalar(value))
        }
        return linear.contains { JSONValueComparison.equal($0, value) }
    }

    /// A representative for JSON equality of scalars: a double with an integral value that fits in
    /// an `Int64` becomes that `.int` (so `1.0` and `-0.0` meet `1` and `0`). Two scalars are
    /// JSON-equal exactly when their canonical forms are `==`.
    static func canonicalScalar(_ value: JSONValue) -> JSONValue {
        guard case .double(let d) = value else { return value }
        if d.rounded(.towardZero) == d, d >= -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 {
            return .int(Int64(d))
        }
        return value
    }
}
