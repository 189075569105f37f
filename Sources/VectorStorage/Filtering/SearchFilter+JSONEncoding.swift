extension SearchFilter {
    /// The filter in the JSON shape ``init(json:)`` reads, so that
    /// `try SearchFilter(json: filter.jsonValue()) == filter`.
    ///
    /// Conditions use the seed's bare operator names (`gte`, `any`, ...). An `.and` of fields is
    /// written as one object (`{"a": 1, "b": {"gte": 2}}`) when that object decodes back to the same
    /// filter, and as `{"$and": [...]}` otherwise.
    ///
    /// ```swift
    /// let filter: SearchFilter = ["created": .range(gte: 100, lt: 200)]
    /// try filter.jsonValue()   // {"created": {"gte": 100, "lt": 200}}
    /// ```
    ///
    /// - Throws: ``VectorStoreError/invalidFilter(reason:)`` for what the JSON shape cannot express:
    ///   a field path starting with `$` (reserved for combinators), or a range with no bounds.
    public func jsonValue() throws -> JSONValue {
        try FilterJSONEncoding.encode(self)
    }
}

/// The encoder behind ``SearchFilter/jsonValue()``.
enum FilterJSONEncoding {
    static func encode(_ filter: SearchFilter) throws -> JSONValue {
        switch filter {
        case .field(let path, let condition):
            try check(path)
            return .object([path: try encode(condition)])
        case .or(let filters):
            return .object(["$or": .array(try filters.map(encode))])
        case .not(let inner):
            return .object(["$not": try encode(inner)])
        case .and(let filters):
            if let merged = try merged(filters), (try? SearchFilter(json: merged)) == filter {
                return merged
            }
            return .object(["$and": .array(try filters.map(encode))])
        }
    }

    /// The condition as a field's value: a bare value for an unambiguous equality, an operator
    /// object otherwise.
    static func encode(_ condition: FieldCondition) throws -> JSONValue {
        if case .equals(let value) = condition, !looksLikeConditions(value) { return value }
        return .object(try operators(condition))
    }

    /// The members of `filters` as one object, or `nil` when they cannot share one.
    private static func merged(_ filters: [SearchFilter]) throws -> JSONValue? {
        var members: [String: JSONValue] = [:]
        var conditions: [String: [FieldCondition]] = [:]
        for filter in filters {
            switch filter {
            case .field(let path, let condition):
                try check(path)
                conditions[path, default: []].append(condition)
            case .or(let list):
                guard members["$or"] == nil else { return nil }
                members["$or"] = .array(try list.map(encode))
            case .not(let inner):
                guard members["$not"] == nil else { return nil }
                members["$not"] = try encode(inner)
            case .and:
                return nil
            }
        }
        for (path, list) in conditions {
            if list.count == 1 {
                members[path] = try encode(list[0])
                continue
            }
            var combined: [String: JSONValue] = [:]
            for condition in list {
                for (key, value) in try operators(condition) {
                    guard combined[key] == nil else { return nil }
                    combined[key] = value
                }
            }
            members[path] = .object(combined)
        }
        return .object(members)
    }

    private static func operators(_ condition: FieldCondition) throws -> [String: JSONValue] {
        switch condition {
        case .equals(let value): return ["eq": value]
        case .notEquals(let value): return ["ne": value]
        case .any(let values): return ["any": .array(values)]
        case .all(let values): return ["all": .array(values)]
        case .none(let values): return ["none": .array(values)]
        case .exists(let present): return ["exists": .bool(present)]
        case .range(let gte, let gt, let lte, let lt):
            var bounds: [String: JSONValue] = [:]
            bounds["gte"] = gte
            bounds["gt"] = gt
            bounds["lte"] = lte
            bounds["lt"] = lt
            guard !bounds.isEmpty else {
                throw VectorStoreError.invalidFilter(reason: "a range with no bounds cannot be written as JSON; give at least one of gte, gt, lte, lt")
            }
            return bounds
        }
    }

    /// Whether an equality value would be read back as a condition object (or rejected).
    private static func looksLikeConditions(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value, !members.isEmpty else { return false }
        return members.keys.allSatisfy { FilterOperator(key: $0) != nil } || members.keys.contains { $0.hasPrefix("$") }
    }

    private static func check(_ path: String) throws {
        if path.hasPrefix("$") {
            throw VectorStoreError.invalidFilter(
                reason: "field \(FilterJSONDecoding.quoted(path)) starts with '$', which the JSON shape reserves for $and, $or and $not")
        }
    }
}
