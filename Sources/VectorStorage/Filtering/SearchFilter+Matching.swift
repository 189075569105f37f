extension SearchFilter {
    /// Whether `payload` satisfies this filter.
    ///
    /// Semantics, condition by condition (see ``FieldCondition``):
    /// - **Fields** are looked up by name or by a dotted path into nested objects (`"meta.author"`).
    ///   A key that itself contains dots is reachable: at each level the longest matching key is
    ///   tried first, so a literal `"meta.author"` key wins over `meta` → `author`.
    /// - **A missing field never matches** any condition except `.exists(false)`; that includes
    ///   `.notEquals` and `.none`. Use `.not(...)` to match payloads that lack a field.
    /// - **Equality** (`.equals`, `.notEquals`, and the values of `.any`, `.all`, `.none`) compares
    ///   numbers by value across integers and doubles, exactly (`Int64.max` does not equal
    ///   `Double(Int64.max)`, which is 2^63); strings as Swift strings (canonically equivalent
    ///   spellings are equal); arrays and objects structurally; `true` is not `1`.
    /// - **`.range`**: when every bound is a number, the field must be a number within them (exact
    ///   comparisons across `Int64` and `Double`); when every bound is a string, the field must be a
    ///   string within them, ordered by Swift's `String` comparison (Unicode scalar values of the
    ///   canonically normalised text: not locale-aware, `"Z" < "a"`). Mixed or other bounds never
    ///   match. A range with no bounds matches any number.
    /// - **`.any`**: a scalar field equals one of the values, or an array field has an element that
    ///   does. **`.none`** is the opposite, for a present field. **`.all`**: the field is an array
    ///   holding every value (an empty list holds for any array).
    /// - **`.and([])`** holds; **`.or([])`** does not.
    ///
    /// ```swift
    /// let filter: SearchFilter = ["category": "docs", "meta.year": .range(gte: 2020)]
    /// filter.matches(["category": "docs", "meta": ["year": 2024]])   // true
    /// filter.matches(["category": "docs"])                           // false: meta.year is missing
    /// ```
    ///
    /// Each call prepares the filter anew; the store prepares it once per query.
    public func matches(_ payload: Payload) -> Bool {
        CompiledSearchFilter(self).matches(payload)
    }
}
