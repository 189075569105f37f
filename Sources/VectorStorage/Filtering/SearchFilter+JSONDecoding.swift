extension SearchFilter {
    /// Decodes a filter from the seed's JSON shape, with combinators and Chroma/MongoDB-style
    /// operator names.
    ///
    /// ```swift
    /// let json: JSONValue = ["category": "docs",
    ///                        "created_at": ["gte": 1],
    ///                        "tags": ["any": ["a"]],
    ///                        "$or": [["lang": "en"], ["lang": ["$in": ["fr", "de"]]]]]
    /// let filter = try SearchFilter(json: json)
    /// ```
    ///
    /// The shape:
    /// - A filter is a JSON object; **every** member must hold. `{}` holds for every payload.
    /// - `"$and": [filter, ...]`, `"$or": [filter, ...]` and `"$not": filter` combine filters. Any
    ///   other key starting with `$` is an error; other keys are field names or dotted paths.
    /// - A field's value is a **condition object** when it is a non-empty object whose keys are all
    ///   operators (``FilterOperator``: `gte gt lte lt eq ne any all none exists`, each also with a
    ///   `$` prefix, plus `$in`/`$nin` for any/none). Several operators must all hold
    ///   (`{"gte": 1, "lt": 5}` is one range).
    /// - Any other value is an **equality**: a string, number, Boolean, `null`, array, or an object
    ///   whose keys are not operators (`{"meta": {"lang": "en"}}` compares the whole object). An
    ///   object that mixes `$`-prefixed keys with other keys, or holds an unknown `$` key, is an
    ///   error; to compare with such an object, write `{"eq": {...}}`.
    /// - Range bounds must be numbers, or all strings; `any`, `all`, `none` take arrays; `exists` a
    ///   Boolean.
    ///
    /// Members are decoded in the order of their keys' UTF-8 bytes, and the conditions of one field
    /// in ``FilterOperator`` order, so equal JSON gives equal filters.
    ///
    /// - Throws: ``VectorStoreError/invalidFilter(reason:)`` naming the offending key, what it held,
    ///   and what would be valid.
    public init(json: JSONValue) throws {
        self = try FilterJSONDecoding.filter(json, at: "")
    }
}

/// The decoder behind ``SearchFilter/init(json:)``.
enum FilterJSONDecoding {
    static func filter(_ json: JSONValue, at context: String) throws -> SearchFilter {
        guard case .object(let members) = json else {
            throw invalid(context, "a filter must be a JSON object of field conditions, $and, $or or $not; found \(describe(json))")
        }
        var parts: [SearchFilter] = []
        for (key, value) in JSONWriter.sortedMembers(members) {
            let here = context.isEmpty ? key : "\(context).\(key)"
            switch key {
            case "$and":
                parts.append(.and(try list(value, at: here)))
            case "$or":
                parts.append(.or(try list(value, at: here)))
            case "$not":
                parts.append(.not(try filter(value, at: here)))
            default:
                if key.hasPrefix("$") {
                    throw invalid(
                        context,
                        "unknown combinator \(quoted(key)); valid combinators are $and, $or and $not, and field names must not start with '$'"
                    )
                }
                parts.append(contentsOf: try conditions(value, field: key, at: context).map { .field(key, $0) })
            }
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private static func list(_ json: JSONValue, at context: String) throws -> [SearchFilter] {
        guard case .array(let elements) = json else {
            throw invalid(context, "expected an array of filters, found \(describe(json))")
        }
        return try elements.enumerated().map { try filter($0.element, at: "\(context)[\($0.offset)]") }
    }

    /// The conditions a field's value states, in canonical order.
    static func conditions(_ value: JSONValue, field: String, at context: String) throws -> [FieldCondition] {
        guard case .object(let members) = value, !members.isEmpty else { return [.equals(value)] }
        let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        if keys.allSatisfy({ FilterOperator(key: $0) != nil }) {
            return try operatorConditions(members, keys: keys, field: field, at: context)
        }
        if let unknown = keys.first(where: { $0.hasPrefix("$") && FilterOperator(key: $0) == nil }) {
            throw invalid(
                context, "field \(quoted(field)): unknown operator \(quoted(unknown)); valid operators are \(FilterOperator.validNames)")
        }
        if let known = keys.first(where: { $0.hasPrefix("$") }),
            let plain = keys.first(where: { FilterOperator(key: $0) == nil })
        {
            throw invalid(
                context,
                "field \(quoted(field)): the object mixes the operator \(quoted(known)) with the plain key \(quoted(plain)); "
                    + "use only operators for a condition, or {\"eq\": {...}} to compare with an object")
        }
        return [.equals(value)]
    }

    private static func operatorConditions(
        _ members: [String: JSONValue], keys: [String], field: String, at context: String
    ) throws -> [FieldCondition] {
        var given: [FilterOperator: (key: String, value: JSONValue)] = [:]
        for key in keys {
            let op = FilterOperator(key: key)!
            if let earlier = given[op] {
                throw invalid(context, "field \(quoted(field)): the operator \(op.rawValue) is given twice (as \(quoted(earlier.key)) and \(quoted(key)))")
            }
            given[op] = (key, members[key]!)
        }

        var result: [FieldCondition] = []
        let bounds = FilterOperator.allCases.filter(\.isRangeBound).compactMap { op in given[op].map { (op, $0) } }
        if !bounds.isEmpty {
            for (_, bound) in bounds {
                switch bound.value {
                case .int, .double, .string: continue
                default:
                    throw invalid(
                        context, "field \(quoted(field)): \(quoted(bound.key)) needs a number or a string, found \(describe(bound.value))")
                }
            }
            let strings = bounds.filter { $0.1.value.stringValue != nil }.count
            if strings != 0 && strings != bounds.count {
                throw invalid(context, "field \(quoted(field)): a range mixes number and string bounds; use numbers only or strings only")
            }
            result.append(
                .range(
                    gte: given[.gte]?.value, gt: given[.gt]?.value, lte: given[.lte]?.value, lt: given[.lt]?.value))
        }
        for op in FilterOperator.allCases where !op.isRangeBound {
            guard let (key, value) = given[op] else { continue }
            switch op {
            case .eq:
                result.append(.equals(value))
            case .ne:
                result.append(.notEquals(value))
            case .any, .all, .none:
                guard case .array(let values) = value else {
                    throw invalid(context, "field \(quoted(field)): \(quoted(key)) needs an array of values, found \(describe(value))")
                }
                result.append(op == .any ? .any(values) : (op == .all ? .all(values) : .none(values)))
            case .exists:
                guard case .bool(let present) = value else {
                    throw invalid(context, "field \(quoted(field)): \(quoted(key)) needs true or false, found \(describe(value))")
                }
                result.append(.exists(present))
            case .gte, .gt, .lte, .lt:
                continue
            }
        }
        return result
    }

    // MARK: Messages

    static func invalid(_ context: String, _ message: String) -> VectorStoreError {
        .invalidFilter(reason: context.isEmpty ? message : "at \(context): \(message)")
    }

    static func quoted(_ key: String) -> String {
        var writer = JSONWriter()
        writer.writeString(key)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "the Boolean \(b)"
        case .int(let i): return "the number \(i)"
        case .double(let d): return "the number \(d)"
        case .string(let s): return "the string \(quoted(s))"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
