/// Checks that a payload can be saved as JSON and read back: bounded nesting, finite numbers.
///
/// **How depth is counted.** The payload object itself is depth 1. An array or object that is a
/// member of a container at depth *d* is at depth *d* + 1; scalars (strings, numbers, Booleans,
/// `null`) add no depth. So `["a": 1]` has depth 1, `["meta": ["tags": ["x"]]]` has depth 3, and
/// the default limit of 64 accepts 64 nested containers, counting the payload, and rejects 65.
///
/// Both checks are iterative (an explicit stack, no recursion), so a value nested 100,000 deep is
/// rejected without exhausting the call stack. Valid payloads are checked in one unordered pass;
/// only when a problem exists is the payload walked again in sorted key order, so the error always
/// names the same offender (the first in key order, depth first).
enum PayloadValidator {
    /// The deepest nesting accepted by default (the payload object counts as 1).
    static let defaultMaxDepth = 64

    /// Throws if `payload` nests containers deeper than `maxDepth` or holds a non-finite double.
    ///
    /// ```swift
    /// try PayloadValidator.validate(["score": .double(.nan)], id: "doc-1")
    /// // throws VectorStoreError.invalidPayload(id: "doc-1", path: "score",
    /// //                                        reason: "nan is not a finite number; ...")
    /// ```
    ///
    /// - Parameters:
    ///   - payload: the payload to check.
    ///   - id: the vector's id, named in the error.
    ///   - maxDepth: the deepest nesting allowed, at least 1 (see the type's documentation).
    /// - Throws: ``VectorStoreError/invalidPayload(id:path:reason:)`` naming the path of the first
    ///   offending value (for example `meta.tags[3]`).
    static func validate(_ payload: Payload, id: VectorID, maxDepth: Int = defaultMaxDepth) throws {
        precondition(maxDepth >= 1, "maxDepth counts the payload object itself and must be at least 1")
        if isValid(payload, maxDepth: maxDepth) { return }
        throw firstProblem(in: payload, id: id, maxDepth: maxDepth)
    }

    /// The fast, unordered pass: `true` when nothing is wrong.
    private static func isValid(_ payload: Payload, maxDepth: Int) -> Bool {
        var pending: [(value: JSONValue, depth: Int)] = []
        for value in payload.values where needsVisit(value) {
            pending.append((value, 2))
        }
        while let (value, depth) = pending.popLast() {
            switch value {
            case .double(let number):
                if !number.isFinite { return false }
            case .array(let elements):
                if depth > maxDepth { return false }
                for element in elements where needsVisit(element) { pending.append((element, depth + 1)) }
            case .object(let members):
                if depth > maxDepth { return false }
                for member in members.values where needsVisit(member) { pending.append((member, depth + 1)) }
            default:
                continue
            }
        }
        return true
    }

    @inline(__always)
    private static func needsVisit(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let number): return !number.isFinite
        case .array, .object: return true
        default: return false
        }
    }

    /// One open container of the ordered pass, with its children in order.
    private struct Frame {
        var children: [(PayloadPath.Component, JSONValue)]
        var next = 0
    }

    /// The ordered pass: the error for the first offender in sorted key order.
    private static func firstProblem(in payload: Payload, id: VectorID, maxDepth: Int) -> VectorStoreError {
        var frames = [Frame(children: children(of: .object(payload)))]
        var path: [PayloadPath.Component] = []
        while let top = frames.indices.last {
            guard frames[top].next < frames[top].children.count else {
                frames.removeLast()
                if !path.isEmpty { path.removeLast() }
                continue
            }
            let (component, value) = frames[top].children[frames[top].next]
            frames[top].next += 1
            switch value {
            case .double(let number) where !number.isFinite:
                return .invalidPayload(
                    id: id, path: PayloadPath(path + [component]).description,
                    reason: "\(number) is not a finite number; JSON has no NaN or infinity")
            case .array, .object:
                let depth = frames.count + 1
                if depth > maxDepth {
                    return .invalidPayload(
                        id: id, path: PayloadPath(path + [component]).description,
                        reason: "nesting depth \(depth) exceeds the limit of \(maxDepth) (the payload object is depth 1)")
                }
                frames.append(Frame(children: children(of: value)))
                path.append(component)
            default:
                continue
            }
        }
        return .invalidPayload(id: id, path: "", reason: "the payload is invalid")  // not reached: isValid found a problem
    }

    private static func children(of value: JSONValue) -> [(PayloadPath.Component, JSONValue)] {
        switch value {
        case .array(let elements):
            return elements.enumerated().map { (.index($0.offset), $0.element) }
        case .object(let members):
            return JSONWriter.sortedMembers(members).map { (.key($0.key), $0.value) }
        default:
            return []
        }
    }
}
