import Testing

@testable import VectorStorage

@Suite("Filter field paths")
struct FilterPathTests {
    static let payload: Payload = [
        "meta": ["author": "Ada", "deep": ["er": ["est": 1]], "list": [["x": 1]]],
        "meta.author": "literal",
        "a.b": ["c": "via a.b"],
        "a": ["b.c": "via b.c", "b": ["x": 1]],
        "version.major": 2,
        "": ["": "empty keys"],
    ]

    func resolve(_ path: String) -> JSONValue? {
        FilterFieldPath(path).resolve(in: Self.payload)
    }

    @Test("plain keys and dotted paths into nested objects")
    func nested() {
        #expect(resolve("meta.deep.er.est") == 1)
        #expect(resolve("meta.deep.er") == ["est": 1])
        #expect(resolve("meta") != nil)
        #expect(resolve("meta.missing") == nil)
        #expect(resolve("meta.author.first") == nil)  // a string has no members
        #expect(resolve("meta.list.0.x") == nil)  // paths do not index arrays
        #expect(resolve("nothing") == nil)
    }

    @Test("a literal key containing dots wins over the nested path")
    func literalFirst() {
        #expect(resolve("meta.author") == "literal")
        #expect(resolve("version.major") == 2)
    }

    @Test("longer keys are tried first, then shorter splits, with backtracking")
    func backtracking() {
        // "a.b" → "c" exists, tried before "a" → "b.c".
        #expect(resolve("a.b.c") == "via a.b")
        // "a.b" has no "x", so the search backtracks to "a" → "b" → "x".
        #expect(resolve("a.b.x") == 1)
        // Empty segments are ordinary (empty) keys.
        #expect(resolve(".") == "empty keys")
    }

    @Test("paths with many dots still resolve")
    func manyDots() {
        var value: JSONValue = "bottom"
        for _ in 0 ..< 40 { value = ["k": value] }
        guard case .object(let payload) = value else { return }
        let path = Array(repeating: "k", count: 40).joined(separator: ".")
        #expect(FilterFieldPath(path).resolve(in: payload) == "bottom")
        #expect(FilterFieldPath(path + ".k").resolve(in: payload) == nil)
        #expect(SearchFilter.field(path, .equals("bottom")).matches(payload))
    }

    @Test("filters use the same resolution")
    func filtersUsePaths() {
        #expect(SearchFilter.field("meta.author", .equals("literal")).matches(Self.payload))
        #expect(SearchFilter.field("a.b.x", .equals(1)).matches(Self.payload))
        #expect(SearchFilter.field("meta.deep.er.est", .range(gte: 1)).matches(Self.payload))
    }
}
