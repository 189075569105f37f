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
