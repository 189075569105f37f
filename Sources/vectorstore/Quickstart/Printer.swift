import Foundation
import VectorStorage

/// Console output for the quickstart: numbered steps, check marks, aligned results.
struct Printer {
    func title(_ text: String) {
        print("\n\(text)\n\(String(repeating: "=", count: text.count))")
    }

    func line(_ text: String) { print(text) }

    func step(_ n: Int, _ text: String) { print("\n\(n). \(text)") }

    func ok(_ text: String) { print("   ✓ \(text)") }

    func check(_ passed: Bool, _ text: String) { print("   \(passed ? "✓" : "✗") \(text)") }

    func detail(_ text: String, indent: Int = 5) { print(String(repeating: " ", count: indent) + text) }

    func query(_ text: String, elapsed: String?) {
        print("   query \(text)" + (elapsed.map { "  (\($0))" } ?? ""))
    }

    func hit(_ hit: VectorStoreResult) {
        let package = hit.payload["package"]?.stringValue ?? hit.id.description
        let summary = hit.payload["summary"]?.stringValue ?? ""
        let score = String(format: "%.3f", hit.score ?? 0)
        print("      \(score)  \(package.padding(toLength: 34, withPad: " ", startingAt: 0)) \(summary.prefix(60))")
    }
}

extension ContinuousClock.Instant {
    /// Time since this instant, for display: "42 ms", "1.27 s".
    var elapsed: String { (ContinuousClock.now - self).readable }
}

extension Duration {
    var readable: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }
}

extension Int {
    /// With thousands separators: 61,535.
    var formatted: String {
        let digits = String(self)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
