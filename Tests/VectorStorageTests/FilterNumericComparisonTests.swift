import Testing

@testable import VectorStorage

@Suite("Filter numeric comparisons")
struct FilterNumericComparisonTests {
    typealias Order = JSONValueComparison.Order

    @Test(
        "Int64 against Double, exactly",
        arguments: [
            (Int64.max, 9_223_372_036_854_775_808.0, Order.less),  // Double(Int64.max) is 2^63
            (Int64.max, 9_223_372_036_854_774_784.0, .greater),  // the Double just below 2^63
            (Int64.min, -9_223_372_036_854_775_808.0, .equal),
            (Int64.min + 1, -9_223_372_036_854_775_808.0, .greater),
            (Int64.min, -9_223_372_036_854_777_856.0, .greater),  // the Double just below -2^63
            (9_007_199_254_740_993, 9_007_199_254_740_992.0, .greater),  // 2^53 + 1 vs 2^53
            (9_007_199_254_740_992, 9_007_199_254_740_992.0, .equal),
            (1, 1.0, .equal), (1, 1.5, .less), (2, 1.5, .greater), (-1, -1.5, .greater), (-2, -1.5, .less),
            (0, -0.0, .equal), (0, .leastNonzeroMagnitude, .less), (0, -.leastNonzeroMagnitude, .greater),
            (0, .infinity, .less), (0, -.infinity, .greater), (Int64.max, .greatestFiniteMagnitude, .less),
        ] as [(Int64, Double, Order)])
    func intVersusDouble(_ a: Int64, _ b: Double, _ expected: Order) {
        #expect(JSONValueComparison.compare(a, b) == expected)
        let reversed: Order = expected == .less ? .greater : (expected == .greater ? .less : .equal)
        #expect(JSONValueComparison.compareNumbers(.double(b), .int(a)) == reversed)
    }

    @Test("NaN compares with nothing")
    func nan() {
        #expect(JSONValueComparison.compare(0, .nan) == nil)
        #expect(JSONValueComparison.compareNumbers(.double(.nan), .double(.nan)) == nil)
        #expect(!JSONValueComparison.equal(.double(.nan), .double(.nan)))
        #expect(!SearchFilter.field("x", .range(gte: .double(.nan))).matches(["x": 1]))
    }

    @Test("filters near 2^63 do not lose precision")
    func largeValuesInFilters() {
        let payload: Payload = ["big": .int(.max), "near": .int(9_007_199_254_740_993)]
        #expect(!SearchFilter.field("big", .equals(.double(9_223_372_036_854_775_808))).matches(payload))
        #expect(SearchFilter.field("big", .range(lt: .double(9_223_372_036_854_775_808))).matches(payload))
        #expect(!SearchFilter.field("big", .range(gte: .double(9_223_372_036_854_775_808))).matches(payload))
        #expect(SearchFilter.field("big", .range(gte: .int(.max), lte: .int(.max))).matches(payload))
        #expect(!SearchFilter.field("near", .equals(.double(9_007_199_254_740_992))).matches(payload))
        #expect(SearchFilter.field("near", .range(gt: .double(9_007_199_254_740_992))).matches(payload))
        #expect(SearchFilter.field("near", .any([.double(9_007_199_254_740_992), .int(9_007_199_254_740_993)])).matches(payload))
        // A hashed (long) value list is exact too.
        let many = (0 ..< 20).map { JSONValue.double(9_007_199_254_740_992 + Double($0) * 2) }
        #expect(!SearchFilter.field("near", .any(many)).matches(payload))
        #expect(SearchFilter.field("near", .any(many + [.int(9_007_199_254_740_993)])).matches(payload))
    }

    @Test("random Int64/Double pairs agree with exact arithmetic")
    func randomPairs() {
        var generator = JSONTestRandom(seed: 11)
        for _ in 0 ..< 20_000 {
            let i = Int64(bitPattern: generator.next()) >> Int64.random(in: 0 ... 62, using: &generator)
            let d = Double(i) + Double(Int.random(in: -3 ... 3, using: &generator)) * Double(i).ulp / 2
            guard d.isFinite else { continue }
            // Reference: compare i with d through exact rational reasoning on (whole, fraction).
            let expected: Order
            if d >= 9_223_372_036_854_775_808.0 {
                expected = .less
            } else if d < -9_223_372_036_854_775_808.0 {
                expected = .greater
            } else {
                let whole = Int64(d.rounded(.down))
                let hasFraction = d.rounded(.down) != d
                if i < whole { expected = .less } else if i > whole { expected = .greater } else { expected = hasFraction ? .less : .equal }
            }
            #expect(JSONValueComparison.compare(i, d) == expected, "\(i) vs \(d)")
        }
    }
}
