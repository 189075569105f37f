extension SearchFilter: Codable {
    /// Decodes a filter from the seed's JSON shape (see ``init(json:)``), through ``JSONValue``.
    ///
    /// ```swift
    /// let data = Data(#"{"category": "docs", "created_at": {"gte": 1}, "tags": {"any": ["a"]}}"#.utf8)
    /// let filter = try JSONDecoder().decode(SearchFilter.self, from: data)
    /// ```
    ///
    /// - Throws: `DecodingError.dataCorrupted` whose underlying error is the
    ///   ``VectorStoreError/invalidFilter(reason:)`` that ``init(json:)`` threw.
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        do {
            self = try SearchFilter(json: json)
        } catch let error as VectorStoreError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes the filter in the JSON shape ``init(json:)`` reads (see ``jsonValue()``).
    ///
    /// - Throws: `EncodingError.invalidValue` for a filter the JSON shape cannot express.
    public func encode(to encoder: any Encoder) throws {
        let json: JSONValue
        do {
            json = try jsonValue()
        } catch let error as VectorStoreError {
            throw EncodingError.invalidValue(
                self, EncodingError.Context(codingPath: encoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
        try json.encode(to: encoder)
    }
}
