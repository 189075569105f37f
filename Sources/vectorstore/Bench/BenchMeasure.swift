import Dispatch
import Foundation

/// Timing and memory helpers that follow `peers.py`: wall-clock seconds, RSS from `/proc`.
enum BenchMeasure {
    /// When set, single-thread timings use the calling thread's CPU time instead of wall-clock
    /// time (robust on a loaded machine; peers.py uses wall-clock time).
    nonisolated(unsafe) static var useThreadCPUTime = false

    static func now(threadCPU: Bool) -> Double {
        var ts = timespec()
        clock_gettime(threadCPU ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds spent in `body` (wall-clock, or thread CPU time with ``useThreadCPUTime``).
    static func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let cpu = useThreadCPUTime
        let start = now(threadCPU: cpu)
        let value = try body()
        return (value, now(threadCPU: cpu) - start)
    }

    /// Wall-clock seconds spent in `body`, whatever the clock setting (for multi-thread runs).
    static func wallSeconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = now(threadCPU: false)
        let value = try body()
        return (value, now(threadCPU: false) - start)
    }

    /// Resident set size in bytes (Linux `/proc/self/statm`), or nil elsewhere.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// CPU seconds used by the whole process so far (all threads, user + system).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func sec(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return sec(usage.ru_utime) + sec(usage.ru_stime)
    }

    /// Cores kept busy by the last multi-thread ``bestQPS(count:runs:threads:_:)`` pass
    /// (process CPU time / wall time); below the thread count when threads waited or the machine
    /// was busy.
    nonisolated(unsafe) static var lastUtilisation = 0.0

    /// Best queries/s of `runs` passes over `count` queries, each pass split over `threads`
    /// threads (query `i` goes to thread `i % threads`).
    ///
    /// With ``useThreadCPUTime``, a multi-thread pass is scored as the sum over threads of
    /// queries / that thread's CPU time: what the threads would reach each on a free core (it
    /// exposes contention between the threads, not time lost to other processes).
    static func bestQPS(count: Int, runs: Int = 3, threads: Int = 1, _ body: @Sendable (Int) -> Void) -> Double {
        var best = 0.0
        for _ in 0 ..< runs {
            if threads == 1 {
                let s = seconds { for i in 0 ..< count { body(i) } }.1
                best = max(best, Double(count) / s)
                continue
            }
            let perThread = UnsafeMutablePointer<Double>.allocate(capacity: threads)
            perThread.initialize(repeating: 0, count: threads)
            defer { perThread.deallocate() }
            let sink = UnsafeSendable(pointer: perThread)
            let cpuBefore = processCPUSeconds()
            let wall = wallSeconds {
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let start = now(threadCPU: true)
                    var i = t, done = 0
                    while i < count {
                        body(i)
                        i += threads
                        done += 1
                    }
                    sink.pointer[t] = Double(done) / max(now(threadCPU: true) - start, 1e-9)
                }
            }.1
            lastUtilisation = (processCPUSeconds() - cpuBefore) / wall
            let qps = useThreadCPUTime ? (0 ..< threads).reduce(0) { $0 + perThread[$1] } : Double(count) / wall
            best = max(best, qps)
        }
        return best
    }

    /// Queries/s at a recall target, interpolated linearly between the two sweep points around
    /// it, exactly as `peers.py`'s `qps_at`.
    static func qps(at target: Double, sweep: [SweepPoint]) -> Double? {
        let points: [(recall: Double, qps: Double)] = sweep.map { ($0.recall10, $0.qps) }
            .sorted { (a: (recall: Double, qps: Double), b: (recall: Double, qps: Double)) -> Bool in
                a.recall < b.recall || (a.recall == b.recall && a.qps < b.qps)
            }
        for i in 0 ..< max(points.count - 1, 0) {
            let a = points[i], b = points[i + 1]
            guard a.recall < target && target <= b.recall else { continue }
            if b.recall > a.recall {
                let t = (target - a.recall) / (b.recall - a.recall)
                return a.qps + (b.qps - a.qps) * t
            }
            return b.qps
        }
        if let first = points.first, first.recall >= target { return first.qps }
        return nil
    }
}

/// A raw pointer shared with worker threads that each write their own element.
struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
}
