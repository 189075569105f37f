// TEMPORARY: stand-ins until the json branch (PayloadValidator, SearchFilter.matches) is merged.
enum PayloadValidator {
    static func validate(_ payload: Payload, id: VectorID) throws {
        var stack: [(JSONValue, String, Int)] = payload.map { ($0.value, $0.key, 2) }
        while let (value, path, depth) = stack.popLast() {
            if depth > 64 { throw VectorStoreError.invalidPayload(id: id, path: path, reason: "nested deeper than 64 levels") }
            switch value {
            case .double(let d) where !d.isFinite:
                throw VectorStoreError.invalidPayload(id: id, path: path, reason: "\(d) is not a finite number")
            case .array(let a):
                for (i, e) in a.enumerated() { stack.append((e, "\(path)[\(i)]", depth + 1)) }
            case .object(let o):
                for (k, e) in o { stack.append((e, "\(path).\(k)", depth + 1)) }
            default: break
            }
        }
    }
}


extension SearchFilter {
    public func matches(_ payload: Payload) -> Bool {
        switch self {
        case .and(let fs): return fs.allSatisfy { $0.matches(payload) }
        case .or(let fs): return fs.contains { $0.matches(payload) }
        case .not(let f): return !f.matches(payload)
        case .field(let path, let condition):
            var current: JSONValue? = .object(payload)
            for part in path.split(separator: ".") { current = current?[String(part)] }
            guard let value = current else { return false }
            switch condition {
            case .equals(let v): return value == v || (value.doubleValue != nil && value.doubleValue == v.doubleValue)
            case .any(let vs):
                if case .array(let a) = value { return a.contains { vs.contains($0) } }
                return vs.contains(value)
            case .range(let gte, let gt, let lte, let lt):
                guard let x = value.doubleValue else { return false }
                if let b = gte?.doubleValue, !(x >= b) { return false }
                if let b = gt?.doubleValue, !(x > b) { return false }
                if let b = lte?.doubleValue, !(x <= b) { return false }
                if let b = lt?.doubleValue, !(x < b) { return false }
                return true
            default: return false
            }
        }
    }
}
