/// One stored vector with its id and payload: what ``ReadOnlyCollection/records(offset:limit:)``
/// hands out and what a line of ``InMemoryVectorStore/exportJSONL(to:)`` holds.
public struct VectorRecord: Sendable, Hashable {
    /// The vector's id.
    public var id: VectorID
    /// The components, bit-for-bit as inserted.
    public var vector: [Float]
    /// The payload (empty when none was given).
    public var payload: Payload

    /// A record.
    public init(id: VectorID, vector: [Float], payload: Payload = [:]) {
        self.id = id
        self.vector = vector
        self.payload = payload
    }
}

extension VectorRecord {
    /// Checks the record as ``InMemoryVectorStore/insert(_:ids:payloads:)`` would before writing
    /// it (a valid id, `dimension` finite components, a valid payload), so that a tool can check a
    /// whole file before the first record is written.
    ///
    /// - Throws: the ``VectorStoreError`` an insert of this record alone would throw (positions
    ///   in it are 0).
    public func validate(dimension: Int) throws {
        try InputValidation.validate(id: id)
        try InputValidation.validate(vector: vector, dimension: dimension, index: 0)
        try PayloadValidator.validate(payload, id: id)
    }
}
