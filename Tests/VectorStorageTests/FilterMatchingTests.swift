import Testing

@testable import VectorStorage

@Suite("Filter matching")
struct FilterMatchingTests {
    static let doc: Payload = [
        "category": "docs",
        "year": 2024,
        "score": 0.75,
        "draft": false,
        "note": nil,
        "tags": ["swift", "rag", "ios"],
        "ids": [1, 2, 3],
        "mixed": [1, "1", true, nil, ["k": "v"], [1, 2]],
        "meta": ["author": "Ada", "stats": ["views": 10], "lang": "en"],
        "name": "caf\u{E9}",
    ]

    @Test("equality on scalars")
    func equality() {
        #expect(SearchFilter(dictionaryLiteral: ("category", "docs")).matches(Self.doc))
        #expect(!(["category": "blog"] as SearchFilter).matches(Self.doc))
        #expect((["year": 2024] as SearchFilter).matches(Self.doc))
        #expect((["year": 2024.0] as SearchFilter).matches(Self.doc))  // numbers by value
        #expect((["score": 0.75] as SearchFilter).matches(Self.doc))
        #expect(!(["score": 1] as SearchFilter).matches(Self.doc))
        #expect((["draft": false] as SearchFilter).matches(Self.doc))
        #expect(!(["draft": 0] as SearchFilter).matches(Self.doc))  // false is not 0
        #expect((["note": nil] as SearchFilter).matches(Self.doc))
        #expect(!(["category": nil] as SearchFilter).matches(Self.doc))
        #expect(!(["year": "2024"] as SearchFilter).matches(Self.doc))  // no string/number coercion
        #expect((["name": "cafe\u{301}"] as SearchFilter).matches(Self.doc))  // canonical equivalence
    }

    @Test("equality on arrays and objects is structural, with numbers by value")
    func structuralEquality() {
        #expect(SearchFilter.field("ids", .equals([1, 2.0, 3])).matches(Self.doc))
        #expect(!SearchFilter.field("ids", .equals([1, 3, 2])).matches(Self.doc))
        #expect(!SearchFilter.field("tags", .equals("swift")).matches(Self.doc))  // an array is not its element
        #expect(SearchFilter.field("meta.stats", .equals(["views": 10.0])).matches(Self.doc))
        #expect(!SearchFilter.field("meta.stats", .equals(["views": 10, "x": 1])).matches(Self.doc))
    }

    @Test("a missing field never matches, whatever the condition")
    func missingField() {
        let conditions: [FieldCondition] = [
            .equals(nil), .notEquals("x"), .range(gte: 0), .range(), .any(["a"]), .all([]), .none(["a"]), .exists(true),
        ]
        for condition in conditions {
            #expect(!SearchFilter.field("absent", condition).matches(Self.doc), "\(condition)")
            #expect(!SearchFilter.field("meta.absent", condition).matches(Self.doc), "\(condition)")
            #expect(!SearchFilter.field("category.sub", condition).matches(Self.doc), "\(condition)")
        }
        #expect(SearchFilter.field("absent", .exists(false)).matches(Self.doc))
        #expect(SearchFilter.not(["absent": "x"]).matches(Self.doc))
    }

    @Test("notEquals and exists")
    func notEqualsAndExists() {
        #expect(SearchFilter.field("category", .notEquals("blog")).matches(Self.doc))
        #expect(!SearchFilter.field("category", .notEquals("docs")).matches(Self.doc))
        #expect(SearchFilter.field("note", .notEquals("x")).matches(Self.doc))
        #expect(!SearchFilter.field("year", .notEquals(2024.0)).matches(Self.doc))
        #expect(SearchFilter.field("note", .exists(true)).matches(Self.doc))  // null counts as present
        #expect(!SearchFilter.field("note", .exists(false)).matches(Self.doc))
        #expect(SearchFilter.field("meta.author", .exists(true)).matches(Self.doc))
    }

    @Test("numeric ranges: every bound must hold")
    func numericRanges() {
        func range(_ condition: FieldCondition, _ field: String = "year") -> Bool {
            SearchFilter.field(field, condition).matches(Self.doc)
        }
        #expect(range(.range(gte: 2024)))
        #expect(!range(.range(gt: 2024)))
        #expect(range(.range(lte: 2024)))
        #expect(!range(.range(lt: 2024)))
        #expect(range(.range(gte: 2000, lt: 2025)))
        #expect(!range(.range(gte: 2000, lt: 2024)))
        #expect(range(.range(gt: 2023.5, lt: 2024.5)))
        #expect(range(.range(gte: 0.5, lte: 1), "score"))
        #expect(!range(.range(gt: 0.75), "score"))
        #expect(range(.range(gte: 0, gt: -1, lte: 1, lt: 2), "score"))
        #expect(range(.range(), "score"))  // no bounds: any number
        #expect(!range(.range(), "category"))
        #expect(!range(.range(gte: 0), "category"))  // a string field never meets numeric bounds
        #expect(!range(.range(gte: 0), "tags"))
        #expect(!range(.range(gte: 0), "draft"))
        #expect(!range(.range(gte: 0, lte: "z")))  // mixed bounds never match
        #expect(!range(.range(gte: true)))
    }

    @Test("string ranges: Swift String order, canonical equivalence respected")
    func stringRanges() {
        func range(_ condition: FieldCondition, _ field: String = "category") -> Bool {
            SearchFilter.field(field, condition).matches(Self.doc)
        }
        #expect(range(.range(gte: "a", lt: "e")))
        #expect(range(.range(gte: "docs", lte: "docs")))
        #expect(!range(.range(gt: "docs")))
        #expect(!range(.range(gte: "e")))
        #expect(!range(.range(gte: "A", lte: "Z")))  // not case-insensitive: "d" > "Z"
        #expect(range(.range(gte: "cafe\u{301}", lte: "cafe\u{301}"), "name"))  // NFD bounds, NFC value
        #expect(!range(.range(gte: "a"), "year"))  // a number field never meets string bounds
    }

    @Test("any: a scalar equals one of the values, or an array holds one")
    func any() {
        #expect(SearchFilter.field("category", .any(["blog", "docs"])).matches(Self.doc))
        #expect(!SearchFilter.field("category", .any(["blog"])).matches(Self.doc))
        #expect(SearchFilter.field("tags", .any(["go", "rag"])).matches(Self.doc))
        #expect(!SearchFilter.field("tags", .any(["go", "rust"])).matches(Self.doc))
        #expect(!SearchFilter.field("tags", .any([])).matches(Self.doc))
        #expect(SearchFilter.field("ids", .any([3.0])).matches(Self.doc))
        #expect(SearchFilter.field("mixed", .any([["k": "v"]])).matches(Self.doc))
        #expect(SearchFilter.field("mixed", .any([[1, 2]])).matches(Self.doc))
        #expect(!SearchFilter.field("mixed", .any([false])).matches(Self.doc))
        #expect(SearchFilter.field("year", .any([2023, 2024])).matches(Self.doc))
    }

    @Test("any and none with long value lists (hashed) agree with short ones")
    func longLists() {
        let many: [JSONValue] = (0 ..< 100).map { .int($0 * 7) } + ["rag", [1, 2], .double(2024.0)]
        #expect(SearchFilter.field("tags", .any(many)).matches(Self.doc))
        #expect(SearchFilter.field("year", .any(many)).matches(Self.doc))  // 2024.0 meets 2024
        #expect(SearchFilter.field("mixed", .any(many)).matches(Self.doc))  // [1, 2] element
        #expect(!SearchFilter.field("category", .any(many)).matches(Self.doc))
        #expect(SearchFilter.field("category", .none(many)).matches(Self.doc))
        #expect(SearchFilter.field("ids", .none(many)).matches(Self.doc))  // 1, 2, 3 are not multiples of 7
        #expect(!SearchFilter.field("tags", .none(many)).matches(Self.doc))
        let negativeZero: [JSONValue] = (1 ... 20).map { .int($0) } + [.double(-0.0)]
        #expect(SearchFilter.field("z", .any(negativeZero)).matches(["z": 0]))
        #expect(!SearchFilter.field("z", .any(negativeZero)).matches(["z": .double(.nan)]))
    }

    @Test("all: the array field holds every value")
    func all() {
        #expect(SearchFilter.field("tags", .all(["swift", "ios"])).matches(Self.doc))
        #expect(!SearchFilter.field("tags", .all(["swift", "go"])).matches(Self.doc))
        #expect(SearchFilter.field("tags", .all([])).matches(Self.doc))
        #expect(SearchFilter.field("ids", .all([1.0, 3])).matches(Self.doc))
        #expect(!SearchFilter.field("category", .all(["docs"])).matches(Self.doc))  // not an array
    }

    @Test("none: a present field holds none of the values")
    func none() {
        #expect(SearchFilter.field("tags", .none(["go", "rust"])).matches(Self.doc))
        #expect(!SearchFilter.field("tags", .none(["go", "rag"])).matches(Self.doc))
        #expect(SearchFilter.field("category", .none(["blog"])).matches(Self.doc))
        #expect(!SearchFilter.field("category", .none(["docs"])).matches(Self.doc))
        #expect(SearchFilter.field("tags", .none([])).matches(Self.doc))
        #expect(SearchFilter.field("empty", .none(["x"])).matches(["empty": []]))
    }

    @Test("and, or, not")
    func combinators() {
        let docs: SearchFilter = ["category": "docs"]
        let blog: SearchFilter = ["category": "blog"]
        #expect(SearchFilter.and([docs, ["year": 2024]]).matches(Self.doc))
        #expect(!SearchFilter.and([docs, blog]).matches(Self.doc))
        #expect(SearchFilter.and([]).matches(Self.doc))
        #expect(SearchFilter.or([blog, docs]).matches(Self.doc))
        #expect(!SearchFilter.or([blog, ["year": 1999]]).matches(Self.doc))
        #expect(!SearchFilter.or([]).matches(Self.doc))
        #expect(SearchFilter.not(blog).matches(Self.doc))
        #expect(!SearchFilter.not(docs).matches(Self.doc))
        #expect(SearchFilter.not(.not(docs)).matches(Self.doc))
        let literal: SearchFilter = ["category": "docs", "year": .range(gte: 2020), "tags": .any(["rag"])]
        #expect(literal.matches(Self.doc))
        let nested: SearchFilter = .or([.and([blog, ["year": 2024]]), .and([docs, .not(["meta.lang": "fr"])])])
        #expect(nested.matches(Self.doc))
    }

    @Test("the seed's filter shape on several payloads")
    func seedScenario() {
        let payloads: [Payload] = [
            ["category": "docs", "created_at": 150, "tags": ["a", "b"]],
            ["category": "docs", "created_at": 250, "tags": ["a"]],
            ["category": "blog", "created_at": 150, "tags": ["b"]],
            ["category": "docs", "tags": ["a"]],
            ["category": "docs", "created_at": 100.0, "tags": "a"],
        ]
        let filter: SearchFilter = ["category": "docs", "created_at": .range(gte: 100, lt: 200), "tags": .any(["a"])]
        let compiled = CompiledSearchFilter(filter)
        #expect(payloads.map(compiled.matches) == [true, false, false, false, true])
        #expect(payloads.map(filter.matches) == [true, false, false, false, true])
    }
}
