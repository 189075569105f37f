extension JSONWriter {
    /// Writes `value` compactly, object keys sorted by their UTF-8 bytes (the order of Unicode
    /// scalar values, the same as Python's `json.dumps(sort_keys=True)`), so equal values always
    /// produce identical bytes.
    ///
    /// Integers are written as integers and doubles always with a fraction or an exponent, so
    /// ``JSONPullParser/readValue(maxDepth:)`` gives back the same cases. The walk is iterative:
    /// any nesting depth is written without growing the call stack.
    ///
    /// - Precondition: every double in `value` is finite.
    mutating func writeValue(_ value: JSONValue) {
        var stack: [Frame] = []
        open(value, &stack)
        while !stack.isEmpty {
            let top = stack.count - 1
            switch stack[top] {
            case .array(let elements, let next):
                if next == elements.count {
                    endArray()
                    stack.removeLast()
                    continue
                }
                if next > 0 { writeComma() }
                stack[top] = .array(elements, next: next + 1)
                open(elements[next], &stack)
            case .object(let members, let next):
                if next == members.count {
                    endObject()
                    stack.removeLast()
                    continue
                }
                if next > 0 { writeComma() }
                stack[top] = .object(members, next: next + 1)
                writeKey(members[next].key)
                open(members[next].value, &stack)
            }
        }
    }

    /// Writes a payload as a JSON object with sorted keys (see ``writeValue(_:)``).
    mutating func writePayload(_ payload: Payload) {
        writeValue(.object(payload))
    }

    /// A container being written and the index of its next member.
    private enum Frame {
        case array([JSONValue], next: Int)
        case object([(key: String, value: JSONValue)], next: Int)
    }

    /// Writes a scalar or an empty container whole; opens a non-empty container on the stack.
    private mutating func open(_ value: JSONValue, _ stack: inout [Frame]) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .int(let i): writeInt64(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let elements):
            beginArray()
            stack.append(.array(elements, next: 0))
        case .object(let members):
            beginObject()
            stack.append(.object(Self.sortedMembers(members), next: 0))
        }
    }

    /// The members of an object in the writer's key order (UTF-8 byte order).
    static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
