/// A ``SearchFilter`` prepared for evaluation over many payloads: field paths split once, value
/// lists turned into hash sets when they are long, range bounds classified. Build one per query and
/// call ``matches(_:)`` for each candidate.
struct CompiledSearchFilter: Sendable {
    private indirect enum Node: Sendable {
        case field(FilterFieldPath, CompiledFieldCondition)
        case and([Node])
        case or([Node])
        case not(Node)
    }

    private let root: Node

    init(_ filter: SearchFilter) {
        root = Self.compile(filter)
    }

    /// Whether `payload` satisfies the filter (see ``SearchFilter/matches(_:)``).
    func matches(_ payload: Payload) -> Bool {
        Self.evaluate(root, payload)
    }

    private static func compile(_ filter: SearchFilter) -> Node {
        switch filter {
        case .field(let path, let condition):
            return .field(FilterFieldPath(path), CompiledFieldCondition(condition))
        case .and(let filters):
            return .and(filters.map(compile))
        case .or(let filters):
            return .or(filters.map(compile))
        case .not(let filter):
            return .not(compile(filter))
        }
    }

    private static func evaluate(_ node: Node, _ payload: Payload) -> Bool {
        switch node {
        case .field(let path, let condition):
            return condition.holds(for: path.resolve(in: payload))
        case .and(let nodes):
            for node in nodes where !evaluate(node, payload) { return false }
            return true
        case .or(let nodes):
            for node in nodes where evaluate(node, payload) { return true }
            return false
        case .not(let node):
            return !evaluate(node, payload)
        }
    }
}

/// A ``FieldCondition`` prepared for evaluation.
struct CompiledFieldCondition: Sendable {
    private enum Test: Sendable {
        case equals(JSONValue)
        case notEquals(JSONValue)
        case numericRange([RangeBound])
        case stringRange([RangeBound])
        case never
        case any(FilterValueSet)
        case all([JSONValue])
        case none(FilterValueSet)
        case exists(Bool)
    }

    /// One bound of a range: the field must compare to `value` with one of the `allowed` orders.
    private struct RangeBound: Sendable {
        var value: JSONValue
        var allowsLess: Bool
        var allowsEqual: Bool
        var allowsGreater: Bool

        func admits(_ order: JSONValueComparison.Order?) -> Bool {
            switch order {
            case .less?: return allowsLess
            case .equal?: return allowsEqual
            case .greater?: return allowsGreater
            case nil: return false
            }
        }
    }

    private let test: Test

    init(_ condition: FieldCondition) {
        switch condition {
        case .equals(let value): test = .equals(value)
        case .notEquals(let value): test = .notEquals(value)
        case .any(let values): test = .any(FilterValueSet(values))
        case .all(let values): test = .all(values)
        case .none(let values): test = .none(FilterValueSet(values))
        case .exists(let present): test = .exists(present)
        case .range(let gte, let gt, let lte, let lt):
            var bounds: [RangeBound] = []
            if let gte { bounds.append(RangeBound(value: gte, allowsLess: false, allowsEqual: true, allowsGreater: true)) }
            if let gt { bounds.append(RangeBound(value: gt, allowsLess: false, allowsEqual: false, allowsGreater: true)) }
            if let lte { bounds.append(RangeBound(value: lte, allowsLess: true, allowsEqual: true, allowsGreater: false)) }
            if let lt { bounds.append(RangeBound(value: lt, allowsLess: true, allowsEqual: false, allowsGreater: false)) }
            let numeric = bounds.allSatisfy { $0.value.isNumber }
            let textual = !bounds.isEmpty && bounds.allSatisfy { $0.value.stringValue != nil }
            test = numeric ? .numericRange(bounds) : (textual ? .stringRange(bounds) : .never)
        }
    }

    /// Whether a field with this value (`nil`: missing) satisfies the condition.
    func holds(for field: JSONValue?) -> Bool {
        guard let field else {
            if case .exists(let present) = test { return !present }
            return false
        }
        switch test {
        case .equals(let value):
            return JSONValueComparison.equal(field, value)
        case .notEquals(let value):
            return !JSONValueComparison.equal(field, value)
        case .numericRange(let bounds):
            guard field.isNumber else { return false }
            for bound in bounds where !bound.admits(JSONValueComparison.compareNumbers(field, bound.value)) {
                return false
            }
            return true
        case .stringRange(let bounds):
            guard case .string(let text) = field else { return false }
            for bound in bounds {
                guard case .string(let limit) = bound.value,
                    bound.admits(JSONValueComparison.compareStrings(text, limit))
                else { return false }
            }
            return true
        case .never:
            return false
        case .any(let values):
            if case .array(let elements) = field {
                return elements.contains { values.contains($0) }
            }
            return values.contains(field)
        case .all(let values):
            guard case .array(let elements) = field else { return false }
            return values.allSatisfy { value in elements.contains { JSONValueComparison.equal($0, value) } }
        case .none(let values):
            if case .array(let elements) = field {
                return !elements.contains { values.contains($0) }
            }
            return !values.contains(field)
        case .exists(let present):
            return present
        }
    }
}

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

extension JSONValue {
    /// Whether this is `.int` or `.double`.
    var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// Whether this is `.array` or `.object`.
    var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}
