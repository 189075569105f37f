import Testing

@testable import VectorStorage

/// A payload whose member `key` holds `depth - 1` nested objects (so the payload has `depth` levels).
func validationDeepPayload(depth: Int, key: String = "a") -> Payload {
    var value: JSONValue = 1
    for _ in 0 ..< depth { value = [key: value] }
    guard case .object(let members) = value else { return [key: value] }
    return members
}

/// The `(path, reason)` of the `invalidPayload` error `validate` throws, or `nil` when it passes.
func validationProblem(_ payload: Payload, maxDepth: Int = PayloadValidator.defaultMaxDepth) -> (path: String, reason: String)? {
    do {
        try PayloadValidator.validate(payload, id: "doc-1", maxDepth: maxDepth)
        return nil
    } catch let error as VectorStoreError where error.code == .invalidPayload {
        #expect(error.id == "doc-1")
        return (error.field ?? "", error.reason ?? "")
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Payload validation")
struct PayloadValidationTests {
    @Test("ordinary payloads pass")
    func valid() {
        #expect(validationProblem([:]) == nil)
        #expect(validationProblem(["title": "x", "n": 1, "s": 0.5, "tags": ["a"], "meta": ["k": nil, "z": -0.0]]) == nil)
        #expect(validationProblem(["tiny": .double(.leastNonzeroMagnitude), "max": .double(.greatestFiniteMagnitude)]) == nil)
    }

    @Test("depth counting: the payload is depth 1, each nested container adds one")
    func depthCounting() {
        #expect(validationProblem(["a": 1], maxDepth: 1) == nil)
        #expect(validationProblem(["a": []], maxDepth: 1)?.path == "a")
        #expect(validationProblem(["meta": ["tags": ["x"]]], maxDepth: 3) == nil)
        #expect(validationProblem(["meta": ["tags": ["x"]]], maxDepth: 2)?.path == "meta.tags")
        #expect(validationProblem(validationDeepPayload(depth: 64)) == nil)
        let problem = validationProblem(validationDeepPayload(depth: 65))
        #expect(problem?.path == Array(repeating: "a", count: 64).joined(separator: "."))
        #expect(problem?.reason.contains("65") == true)
        #expect(problem?.reason.contains("64") == true)
        for depth in [511, 512, 600] { #expect(validationProblem(validationDeepPayload(depth: depth)) != nil) }
    }

    @Test("a 100,000-deep payload is rejected without overflowing the stack")
    func veryDeep() {
        let payload = validationDeepPayload(depth: 100_000)
        #expect(validationProblem(payload)?.path.hasPrefix("a.a.a") == true)
        jsonDismantle(.object(consume payload))
    }

    @Test("non-finite doubles anywhere are named by path")
    func nonFinite() {
        #expect(validationProblem(["score": .double(.nan)])?.path == "score")
        #expect(validationProblem(["meta": ["tags": ["a", "b", "c", .double(.infinity)]]])?.path == "meta.tags[3]")
        #expect(validationProblem(["m": [[.double(-.infinity)]]])?.path == "m[0][0]")
        #expect(validationProblem(["a.b": ["": .double(.nan)]])?.path == #"["a.b"][""]"#)
        let reason = validationProblem(["x": .double(.nan)])?.reason
        #expect(reason?.contains("not a finite number") == true)
    }

    @Test("with several problems, the first in key order is named, every time")
    func deterministicPath() {
        let payload: Payload = ["z": .double(.nan), "b": [1, .double(.infinity)], "m": .double(-.infinity)]
        for _ in 0 ..< 20 { #expect(validationProblem(payload)?.path == "b[1]") }
    }

    @Test("paths quote keys that would be ambiguous")
    func pathFormatting() {
        #expect(PayloadPath([.key("meta"), .key("tags"), .index(3)]).description == "meta.tags[3]")
        #expect(PayloadPath([.index(0), .key("x")]).description == "[0].x")
        #expect(PayloadPath([.key("a.b"), .key("c")]).description == #"["a.b"].c"#)
        #expect(PayloadPath([.key("q\"[")]).description == #"["q\"["]"#)
        #expect(PayloadPath([]).description == "")
    }

    @Test("the error message names the id, the path and the reason")
    func message() {
        do {
            try PayloadValidator.validate(["score": .double(.nan)], id: "doc-7")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("doc-7") && "\(error)".contains("'score'") && "\(error)".contains("finite"))
        }
    }
}
