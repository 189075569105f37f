/// A filter's field path, prepared for fast lookups in many payloads.
///
/// **Resolution rule.** A path is a key, or keys joined by dots into nested objects
/// (`"meta.author"`). A key may itself contain dots: at each level the *longest* candidate key is
/// tried first, so the literal key `"meta.author"` wins over `meta` → `author`, and if a longer key
/// leads nowhere the shorter splits are tried in turn (`"a.b.c"` tries `"a.b.c"`, then `"a.b"` →
/// `"c"`, then `"a"` → `"b.c"`, then `"a"` → `"b"` → `"c"`, stopping at the first value found). A
/// payload is a tree, so every step reaches a different member and the search visits each member
/// at most once. Paths only descend into objects, never into arrays.
struct FilterFieldPath: Sendable {
    /// The path as written.
    let path: String
    /// UTF-8 offsets of the segment boundaries: `-1`, each dot, then the path's length.
    private let boundaries: [Int]
    /// `keys[i][j - i - 1]`: the text between boundaries `i` and `j`, when precomputed.
    private let keys: [[String]]

    /// Paths with more dots than this compute their candidate keys on the fly.
    private static let maxPrecomputedDots = 16

    init(_ path: String) {
        self.path = path
        var boundaries = [-1]
        for (offset, byte) in path.utf8.enumerated() where byte == UInt8(ascii: ".") {
            boundaries.append(offset)
        }
        boundaries.append(path.utf8.count)
        self.boundaries = boundaries
        if boundaries.count - 2 <= Self.maxPrecomputedDots {
            let utf8 = Array(path.utf8)
            keys = (0 ..< boundaries.count - 1).map { i in
                (i + 1 ..< boundaries.count).map { j in
                    String(decoding: utf8[(boundaries[i] + 1) ..< boundaries[j]], as: UTF8.self)
                }
            }
        } else {
            keys = []
        }
    }

    @inline(__always)
    private func key(from i: Int, to j: Int) -> String {
        if !keys.isEmpty { return keys[i][j - i - 1] }
        let utf8 = Array(path.utf8)
        return String(decoding: utf8[(boundaries[i] + 1) ..< boundaries[j]], as: UTF8.self)
    }

    /// The value at this path in `payload`, or `nil` when the path leads nowhere.
    @inline(__always)
    func resolve(in payload: Payload) -> JSONValue? {
        let last = boundaries.count - 1
        if last == 1 { return payload[path] }  // no dot: one lookup
        if last == 2 {
            // One dot ("meta.author"): the literal key, else one level down.
            if let literal = payload[path] { return literal }
            guard case .object(let inner)? = payload[keys[0][0]] else { return nil }
            return inner[keys[1][0]]
        }
        return resolveNested(in: payload, last: last)
    }

    private func resolveNested(in payload: Payload, last: Int) -> JSONValue? {
        // Depth-first search over (object, boundary reached, next candidate end), longest key first.
        var stack: [(object: Payload, start: Int, end: Int)] = [(payload, 0, last)]
        while let top = stack.indices.last {
            let (object, start, end) = stack[top]
            guard end > start else {
                stack.removeLast()
                continue
            }
            stack[top].end = end - 1
            guard let value = object[key(from: start, to: end)] else { continue }
            if end == last { return value }
            if case .object(let inner) = value {
                stack.append((inner, end, last))
            }
        }
        return nil
    }
}
