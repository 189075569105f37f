/// A condition on payloads that restricts a search or a listing.
///
/// The dictionary literal is the seed's `SearchFilters` shape: every entry must hold (they are
/// combined with AND). Keys are field names or dotted paths into nested objects (`"meta.author"`).
/// A condition on a missing field never holds (`.notEquals` and `.none` included); `.not` negates
/// a whole filter, so `.not(["x": 1])` holds for payloads without `x`.
///
/// ```swift
/// let filter: SearchFilter = ["category": "docs",
///                             "created": .range(gte: 100, lt: 200),
///                             "tags": .any(["a", "b"])]
/// let either: SearchFilter = .or([["lang": "en"], ["lang": "fr"]])
/// let notDraft: SearchFilter = .not(["status": "draft"])
/// ```
///
/// A filter also decodes from the seed's JSON shape:
/// `{"category": "docs", "created_at": {"gte": 1}, "tags": {"any": ["a"]}}`, plus `$and`, `$or`
/// and `$not` keys for the combinators.
public indirect enum SearchFilter: Sendable, Hashable {
    /// The value at `path` (a field name or a dotted path) satisfies `condition`.
    case field(String, FieldCondition)
    /// Every filter holds (an empty list always holds).
    case and([SearchFilter])
    /// At least one filter holds (an empty list never holds).
    case or([SearchFilter])
    /// The filter does not hold.
    case not(SearchFilter)
}

extension SearchFilter: ExpressibleByDictionaryLiteral {
    /// `["a": 1, "b": .range(gte: 2)]`: every entry holds.
    public init(dictionaryLiteral elements: (String, FieldCondition)...) {
        if elements.count == 1 {
            self = .field(elements[0].0, elements[0].1)
        } else {
            self = .and(elements.map { .field($0.0, $0.1) })
        }
    }
}

/// What a payload field must satisfy.
public enum FieldCondition: Sendable, Hashable {
    /// The field equals the value (numbers compare by value; strings exactly; arrays and objects
    /// structurally).
    case equals(JSONValue)
    /// The field is present and does not equal the value.
    case notEquals(JSONValue)
    /// The field is a number (or, when the bounds are strings, a string) within the bounds; every
    /// given bound must hold.
    case range(gte: JSONValue? = nil, gt: JSONValue? = nil, lte: JSONValue? = nil, lt: JSONValue? = nil)
    /// The field (a scalar, or an array) holds at least one of the values.
    case any([JSONValue])
    /// The field is an array that holds every one of the values.
    case all([JSONValue])
    /// The field (a scalar, or an array) holds none of the values; a missing field does not match.
    case none([JSONValue])
    /// The field is present (`true`) or absent (`false`). `null` counts as present.
    case exists(Bool)
}

extension FieldCondition: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .equals(.string(value)) }
    public init(integerLiteral value: Int64) { self = .equals(.int(value)) }
    public init(floatLiteral value: Double) { self = .equals(.double(value)) }
    public init(booleanLiteral value: Bool) { self = .equals(.bool(value)) }
    public init(nilLiteral: ()) { self = .equals(.null) }
}
