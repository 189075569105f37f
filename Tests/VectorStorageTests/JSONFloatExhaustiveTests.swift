import Foundation
import Testing

@testable import VectorStorage

/// Checks the shortest-digits algorithm against `Float.description` for every positive finite
/// float (2³¹ values; a few minutes per core in release). Opt in with `VS_EXHAUSTIVE_FLOAT=1`;
/// `VS_EXHAUSTIVE_FLOAT_STEP=n` checks every n-th bit pattern instead.
@Suite("JSON float exhaustive check")
struct JSONFloatExhaustiveTests {
    static let enabled = ProcessInfo.processInfo.environment["VS_EXHAUSTIVE_FLOAT"] == "1"

    @Test("every positive Float gets Swift's shortest digits", .enabled(if: enabled))
    func everyFloat() async {
        let step = UInt32(ProcessInfo.processInfo.environment["VS_EXHAUSTIVE_FLOAT_STEP"] ?? "1") ?? 1
        let end: UInt32 = 0x7F80_0000
        let parts: UInt32 = 2
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for part in 0 ..< parts {
                group.addTask {
                    var bad = 0
                    var bits = max(1, part * (end / parts))
                    let stop = part == parts - 1 ? end : (part + 1) * (end / parts)
                    while bits < stop {
                        let value = Float(bitPattern: bits)
                        let ours = FloatShortestDecimal.decimal(for: value)
                        let (significand, exponent) = jsonSwiftShortestDecimal(value)
                        if UInt64(ours.significand) != significand || ours.exponent != exponent { bad += 1 }
                        bits &+= step
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
