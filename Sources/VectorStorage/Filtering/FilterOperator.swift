/// The operator keys of a condition object in a filter's JSON shape
/// (`{"created_at": {"gte": 1, "lt": 5}}`).
///
/// Each name is accepted bare (the seed's shape) or with a `$` prefix (Chroma and MongoDB style):
/// `gte`, `gt`, `lte`, `lt`, `eq`, `ne`, `any`, `all`, `none`, `exists`; `$in` and `$nin` are
/// aliases of `any` and `none`. The declaration order is the canonical order of decoded conditions.
enum FilterOperator: String, CaseIterable, Sendable {
    case gte, gt, lte, lt, eq, ne, any, all, none, exists

    /// The operator a condition-object key names, or `nil` when the key is not an operator.
    init?(key: String) {
        guard key.hasPrefix("$") else {
            self.init(rawValue: key)
            return
        }
        let name = String(key.dropFirst())
        switch name {
        case "in": self = .any
        case "nin": self = .none
        default: self.init(rawValue: name)
        }
    }

    /// Whether this is one of the four range bounds.
    var isRangeBound: Bool {
        switch self {
        case .gte, .gt, .lte, .lt: return true
        default: return false
        }
    }

    /// The list of valid operators, for error messages.
    static let validNames =
        "gte, gt, lte, lt, eq, ne, any, all, none, exists (each also with a '$' prefix, as in '$gte'), "
        + "'$in' (same as any) and '$nin' (same as none)"
}
