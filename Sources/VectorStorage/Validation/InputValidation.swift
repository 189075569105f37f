/// Checks of user input, run before anything is logged or applied.
///
/// Every check throws the first problem found, in batch order, naming the value at fault.
enum InputValidation {
    /// Checks that an id is usable: a string id is 1…1,024 UTF-8 bytes with no NUL.
    static func validate(id: VectorID) throws {
        guard case .string(let s) = id else { return }
        if s.isEmpty {
            throw VectorStoreError.invalidID(id: s, reason: "an id must not be empty")
        }
        let length = s.utf8.count
        if length > VectorID.maxUTF8Length {
            throw VectorStoreError.invalidID(
                id: String(s.prefix(40)) + "…",
                reason: "it is \(length) UTF-8 bytes long; at most \(VectorID.maxUTF8Length) are allowed")
        }
        if s.utf8.contains(0) {
            throw VectorStoreError.invalidID(id: s, reason: "an id must not contain the NUL character")
        }
    }

    /// Checks a vector's length and that every component is finite.
    static func validate(vector: [Float], dimension: Int, index: Int) throws {
        if vector.count != dimension {
            throw VectorStoreError.dimensionMismatch(expected: dimension, actual: vector.count, index: index)
        }
        try vector.withUnsafeBufferPointer { buffer in
            // A NaN or infinity makes the sum non-finite; scan for the culprit only then.
            var sum: Float = 0
            for x in buffer { sum += x * 0 }
            if !sum.isFinite || sum != 0 {
                for (component, x) in buffer.enumerated() where !x.isFinite {
                    throw VectorStoreError.invalidVector(index: index, component: component, value: x)
                }
            }
        }
    }

    /// Checks a whole insert batch: matching lengths, valid and distinct ids, vectors, payloads.
    static func validateBatch(vectors: [[Float]], ids: [VectorID], payloads: [Payload]?, dimension: Int) throws {
        if vectors.count != ids.count || (payloads.map { $0.count != ids.count } ?? false) {
            throw VectorStoreError.batchLengthMismatch(vectors: vectors.count, ids: ids.count, payloads: payloads?.count)
        }
        var firstIndex: [VectorID: Int] = [:]
        firstIndex.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() {
            try validate(id: id)
            if let first = firstIndex.updateValue(i, forKey: id) {
                throw VectorStoreError.duplicateID(id, first: first, second: i)
            }
            try validate(vector: vectors[i], dimension: dimension, index: i)
            if let payload = payloads?[i] {
                try PayloadValidator.validate(payload, id: id)
            }
        }
    }
}
