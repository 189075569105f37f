/// A change a caller asks for, validated but not yet decided: the collection's writer resolves it
/// against the collection as it stands when its turn comes (exists or not, capacity, the current
/// value to merge an update into) and turns it into a ``WriteOperation`` for the log.
enum WriteRequest: Sendable {
    /// Insert or replace each entry whole (capacity is checked for the new ids).
    case insert([UpsertEntry])
    /// Replace the vector, the payload, or both, of an existing id (`nil` keeps the current one).
    case update(id: VectorID, vector: [Float]?, payload: Payload?)
    /// Remove each id that exists (the others are skipped).
    case delete([VectorID])
    /// Remove every vector.
    case clear
}
