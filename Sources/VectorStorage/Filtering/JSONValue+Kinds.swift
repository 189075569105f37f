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
