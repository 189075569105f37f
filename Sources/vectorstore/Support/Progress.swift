import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress display on standard error for work that can take more than a second:
/// items done (of how many), rate, elapsed time and the estimated time left, redrawn at most ten
/// times a second and erased when the work ends.
///
/// Silent when standard error is not a terminal (pipes, log files, tests) or when the command
/// was given `--quiet`. `VS_PROGRESS=always` forces it on even without a terminal (then one plain
/// line per second, no cursor movement), `VS_PROGRESS=never` off. Safe to update from any thread.
///
/// ```swift
/// let progress = ProgressReporter("importing", total: rows, unit: "vectors", quiet: quiet)
/// for batch in batches { insert(batch); progress.advance(by: batch.count) }
/// progress.finish()
/// ```
final class ProgressReporter: @unchecked Sendable {
    private enum Mode { case off, terminal, lines }

    private let lock = NSLock()
    private let mode: Mode
    private let unit: String
    private var label: String
    private var total: Int?
    private var done = 0
    private var started = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var drewSomething = false

    /// - Parameters:
    ///   - label: what is being done (`importing`, `verifying vectors`).
    ///   - total: how many items in all, when known (for the percentage and the ETA).
    ///   - unit: what an item is, for the rate (`vectors/s`).
    ///   - quiet: `--quiet` was given.
    init(_ label: String, total: Int? = nil, unit: String = "vectors", quiet: Bool) {
        self.label = label
        self.total = total
        self.unit = unit
        mode = Self.mode(quiet: quiet)
    }

    private static func mode(quiet: Bool) -> Mode {
        switch ProcessInfo.processInfo.environment["VS_PROGRESS"] {
        case "always": return .lines
        case "never": return .off
        default: return !quiet && isatty(STDERR_FILENO) != 0 ? .terminal : .off
        }
    }

    /// Starts a new phase: a new label and total, the count and the clock reset (nothing
    /// changes when `label` is the current one).
    func phase(_ label: String, total: Int?) {
        guard lock.withLock({ label != self.label || done == 0 && lastDraw == nil }) else { return }
        lock.withLock {
            self.label = label
            self.total = total
            done = 0
            started = .now
            lastDraw = nil
        }
        draw(force: true)
    }

    /// Sets the number of items done.
    func update(_ done: Int) {
        lock.withLock { self.done = done }
        draw(force: false)
    }

    /// Adds to the number of items done.
    func advance(by count: Int) {
        lock.withLock { done += count }
        draw(force: false)
    }

    /// Erases the display (the command prints its own summary).
    func finish() {
        lock.withLock {
            if mode == .terminal && drewSomething { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drewSomething = false
        }
    }

    private func draw(force: Bool) {
        guard mode != .off else { return }
        lock.withLock {
            let now = ContinuousClock.now
            let interval: Duration = mode == .terminal ? .milliseconds(100) : .seconds(1)
            if !force, let last = lastDraw, now - last < interval { return }
            lastDraw = now
            let text = Self.line(label: label, done: done, total: total, unit: unit, elapsed: now - started)
            let output = mode == .terminal ? "\r" + text + "\u{1B}[K" : text + "\n"
            FileHandle.standardError.write(Data(output.utf8))
            drewSomething = true
        }
    }

    /// `importing 12,000/61,535 (19%)  5,400 vectors/s  elapsed 0:02  ETA 0:09`.
    static func line(label: String, done: Int, total: Int?, unit: String, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var parts = [label]
        if let total, total > 0 {
            parts.append("\(grouped(done))/\(grouped(total)) (\(done * 100 / total)%)")
        } else if done > 0 {
            parts.append(grouped(done))
        }
        if done > 0 && seconds > 0 { parts.append("\(grouped(Int(Double(done) / seconds))) \(unit)/s") }
        parts.append("elapsed \(clock(seconds))")
        if let total, done > 0, done < total, seconds > 0 {
            parts.append("ETA \(clock(seconds / Double(done) * Double(total - done)))")
        }
        return parts.joined(separator: "  ")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// `61535` → `61,535`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
