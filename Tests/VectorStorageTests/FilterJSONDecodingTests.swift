import Foundation
import Testing

@testable import VectorStorage

/// The reason of the `invalidFilter` error decoding `json` throws, or `nil` when it decodes.
func jsonFilterError(_ json: JSONValue) -> String? {
    do {
        _ = try SearchFilter(json: json)
        Issue.record("expected invalidFilter for \(json.jsonString)")
        return nil
    } catch let error as VectorStoreError where error.code == .invalidFilter {
        return error.reason
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

func jsonDecodeFilter(_ text: String) throws -> SearchFilter {
    try SearchFilter(json: JSONValue.parse(text))
}

@Suite("Filter JSON decoding")
struct FilterJSONDecodingTests {
    @Test("the seed's shape: every key must hold")
    func seedShape() throws {
        let filter = try jsonDecodeFilter(
            #"{"category": "docs", "created_at": {"gte": 1}, "tags": {"any": ["a"]}, "flags": {"all": ["x"]}}"#)
        #expect(
            filter
                == .and([
                    .field("category", .equals("docs")), .field("created_at", .range(gte: 1)),
                    .field("flags", .all(["x"])), .field("tags", .any(["a"])),
                ]))
        #expect(filter.matches(["category": "docs", "created_at": 5, "tags": ["a", "b"], "flags": ["x", "y"]]))
        #expect(!filter.matches(["category": "docs", "created_at": 0, "tags": ["a"], "flags": ["x"]]))
        #expect(try jsonDecodeFilter(#"{"category": "docs"}"#) == ["category": "docs"])
        #expect(try jsonDecodeFilter("{}") == .and([]))
    }

    @Test(
        "every operator, bare and with a $ prefix",
        arguments: [
            ("gte", FieldCondition.range(gte: 1)), ("gt", .range(gt: 1)), ("lte", .range(lte: 1)), ("lt", .range(lt: 1)),
            ("eq", .equals(1)), ("ne", .notEquals(1)), ("exists", .exists(true)),
        ])
    func scalarOperators(_ name: String, _ expected: FieldCondition) throws {
        let value: JSONValue = name == "exists" ? true : 1
        #expect(try SearchFilter(json: ["x": .object([name: value])]) == .field("x", expected))
        #expect(try SearchFilter(json: ["x": .object(["$" + name: value])]) == .field("x", expected))
    }

    @Test("list operators and the $in / $nin aliases")
    func listOperators() throws {
        #expect(try jsonDecodeFilter(#"{"t": {"any": ["a", 1]}}"#) == .field("t", .any(["a", 1])))
        #expect(try jsonDecodeFilter(#"{"t": {"$in": ["a"]}}"#) == .field("t", .any(["a"])))
        #expect(try jsonDecodeFilter(#"{"t": {"all": []}}"#) == .field("t", .all([])))
        #expect(try jsonDecodeFilter(#"{"t": {"$all": ["a"]}}"#) == .field("t", .all(["a"])))
        #expect(try jsonDecodeFilter(#"{"t": {"none": ["a"]}}"#) == .field("t", .none(["a"])))
        #expect(try jsonDecodeFilter(#"{"t": {"$nin": ["a"]}}"#) == .field("t", .none(["a"])))
    }

    @Test("several operators on one field: one range, then the others in canonical order")
    func combinedOperators() throws {
        #expect(try jsonDecodeFilter(#"{"n": {"gte": 1, "lt": 5}}"#) == .field("n", .range(gte: 1, lt: 5)))
        #expect(try jsonDecodeFilter(#"{"n": {"$lt": 5, "gt": 1, "ne": 3}}"#) == .and([.field("n", .range(gt: 1, lt: 5)), .field("n", .notEquals(3))]))
        #expect(try jsonDecodeFilter(#"{"s": {"gte": "a", "lte": "m"}}"#) == .field("s", .range(gte: "a", lte: "m")))
    }

    @Test("combinators")
    func combinators() throws {
        #expect(try jsonDecodeFilter(#"{"$or": [{"lang": "en"}, {"lang": "fr"}]}"#) == .or([["lang": "en"], ["lang": "fr"]]))
        #expect(try jsonDecodeFilter(#"{"$and": [{"a": 1}, {"b": {"gt": 2}}]}"#) == .and([["a": 1], ["b": .range(gt: 2)]]))
        #expect(try jsonDecodeFilter(#"{"$not": {"status": "draft"}}"#) == .not(["status": "draft"]))
        #expect(try jsonDecodeFilter(#"{"$or": []}"#) == .or([]))
        let mixed = try jsonDecodeFilter(#"{"category": "docs", "$or": [{"a": 1}, {"$not": {"b": 2}}]}"#)
        #expect(mixed == .and([.or([["a": 1], .not(["b": 2])]), ["category": "docs"]]))
        #expect(mixed.matches(["category": "docs", "b": 3]))
        #expect(!mixed.matches(["category": "docs", "b": 2]))
    }

    @Test("object values: all operators is a condition, otherwise an equality on the object")
    func objectValues() throws {
        #expect(try jsonDecodeFilter(#"{"meta": {"lang": "en"}}"#) == .field("meta", .equals(["lang": "en"])))
        #expect(try jsonDecodeFilter(#"{"meta": {"gte": 1, "foo": 2}}"#) == .field("meta", .equals(["gte": 1, "foo": 2])))
        #expect(try jsonDecodeFilter(#"{"meta": {}}"#) == .field("meta", .equals([:])))
        #expect(try jsonDecodeFilter(#"{"meta": {"eq": {"gte": 1}}}"#) == .field("meta", .equals(["gte": 1])))
        #expect(try jsonDecodeFilter(#"{"tags": ["a", "b"]}"#) == .field("tags", .equals(["a", "b"])))
        #expect(try jsonDecodeFilter(#"{"x": null}"#) == .field("x", .equals(nil)))
        #expect(try jsonDecodeFilter(#"{"meta.author": "Ada"}"#) == .field("meta.author", .equals("Ada")))
    }

    @Test("errors name the key and what is valid")
    func errors() {
        let unknown = jsonFilterError(["tags": ["$foo": ["a"]]])
        #expect(unknown?.contains("\"$foo\"") == true && unknown?.contains("\"tags\"") == true)
        #expect(unknown?.contains("gte") == true && unknown?.contains("$nin") == true)
        #expect(jsonFilterError(["$nor": []])?.contains("$and, $or and $not") == true)
        #expect(jsonFilterError(["x": ["$gte": 1, "plain": 2]])?.contains("mixes") == true)
        #expect(jsonFilterError(["x": ["any": "a"]])?.contains("needs an array") == true)
        #expect(jsonFilterError(["x": ["$in": 1]])?.contains("\"$in\"") == true)
        #expect(jsonFilterError(["x": ["exists": 1]])?.contains("true or false") == true)
        #expect(jsonFilterError(["x": ["gte": true]])?.contains("number or a string") == true)
        #expect(jsonFilterError(["x": ["gte": nil]])?.contains("number or a string") == true)
        #expect(jsonFilterError(["x": ["gte": 1, "lt": "z"]])?.contains("mixes number and string") == true)
        #expect(jsonFilterError(["x": ["gte": 1, "$gte": 2]])?.contains("given twice") == true)
        #expect(jsonFilterError(["$or": ["a": 1]])?.contains("expected an array of filters") == true)
        #expect(jsonFilterError(["$or": [["a": 1], "b"]])?.hasPrefix("at $or[1]:") == true)
        #expect(jsonFilterError(["$and": [["$not": ["x": ["$bad": 1]]]]])?.hasPrefix("at $and[0].$not:") == true)
        #expect(jsonFilterError("docs")?.contains("must be a JSON object") == true)
        #expect(jsonFilterError([1, 2])?.contains("an array") == true)
    }

    @Test("Decodable through JSONDecoder, with errors as DecodingError")
    func decodable() throws {
        let data = Data(#"{"category": "docs", "created_at": {"$gte": 1.5}, "tags": {"$in": ["a"]}}"#.utf8)
        let filter = try JSONDecoder().decode(SearchFilter.self, from: data)
        #expect(filter == .and([.field("category", "docs"), .field("created_at", .range(gte: 1.5)), .field("tags", .any(["a"]))]))
        do {
            _ = try JSONDecoder().decode(SearchFilter.self, from: Data(#"{"x": {"$bad": 1}}"#.utf8))
            Issue.record("expected an error")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.underlyingError as? VectorStoreError != nil)
            #expect(context.debugDescription.contains("$bad"))
        }
    }
}

@Suite("Filter JSON encoding")
struct FilterJSONEncodingTests {
    static let filters: [SearchFilter] = [
        ["category": "docs"],
        .and([]),
        .and([.field("a", 1), .field("b", .range(gte: 2, lt: 5.5))]),
        .and([.field("b", 1), .field("a", 2)]),  // not in key order: written as $and
        .and([.field("x", .range(gte: 1)), .field("x", .range(lt: 9))]),  // same field twice
        .and([.field("n", .range(gt: 1, lt: 5)), .field("n", .notEquals(3))]),
        .and([.field("x", 1)]),
        .or([["lang": "en"], ["lang": "fr"]]),
        .or([]),
        .not(["status": "draft"]),
        .not(.not(["a": nil])),
        .field("t", .any(["a", 1, 2.5, nil])),
        .field("t", .all([])),
        .field("t", .none([["k": "v"]])),
        .field("t", .exists(false)),
        .field("t", .notEquals([1, 2])),
        .field("m", .equals(["gte": 1])),  // an object that looks like a condition: written with "eq"
        .field("m", .equals(["$x": 1, "y": 2])),
        .field("m", .equals([:])),
        .field("s", .range(gte: "a", lte: "m")),
        .field("meta.author", .equals("Ada")),
        .and([.or([["a": 1], ["b": 2]]), .field("c", 3), .not(["d": 4])]),
        .and([.and([["a": 1]]), ["b": 2]]),
    ]

    @Test("jsonValue decodes back to the same filter", arguments: filters)
    func roundTrip(_ filter: SearchFilter) throws {
        let json = try filter.jsonValue()
        #expect(try SearchFilter(json: json) == filter, "\(json.jsonString)")
        // And through Codable / JSONEncoder.
        let data = try JSONEncoder().encode(filter)
        #expect(try JSONDecoder().decode(SearchFilter.self, from: data) == filter)
    }

    @Test("the seed's shape is written compactly")
    func compactShape() throws {
        let filter: SearchFilter = .and([.field("category", "docs"), .field("created", .range(gte: 100, lt: 200)), .field("tags", .any(["a", "b"]))])
        #expect(try filter.jsonValue().jsonString == #"{"category":"docs","created":{"gte":100,"lt":200},"tags":{"any":["a","b"]}}"#)
        #expect(try SearchFilter.field("m", .equals(["gte": 1])).jsonValue().jsonString == #"{"m":{"eq":{"gte":1}}}"#)
    }

    @Test("what the JSON shape cannot express throws")
    func unrepresentable() {
        #expect(throws: VectorStoreError.self) { try SearchFilter.field("$price", 1).jsonValue() }
        #expect(throws: VectorStoreError.self) { try SearchFilter.field("x", .range()).jsonValue() }
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(SearchFilter.field("$x", 1)) }
    }
}
