#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Named points in the persistence code where a crash test can kill the process.
///
/// Compiled only with the package trait `KillPoints` (which this package's test script enables
/// and no user's build does): without it `reach` is empty, so no environment variable can make a
/// user's process kill itself. With it, inactive unless the environment variable
/// `VS_KILL_AT=<point>:<n>` is set when the process starts: then the `n`-th time execution
/// reaches `<point>` the process sends itself `SIGKILL` (no cleanup, no buffered output flushed:
/// exactly a crash). Used by the crash tests through the `vstorture` executable; costs one branch
/// when inactive.
enum KillPoints {
    /// Whether kill points are compiled into this build.
    static var compiledIn: Bool {
        #if KillPoints
        return true
        #else
        return false
        #endif
    }

    /// The points, in the order an append and a checkpoint pass them, then those of an open
    /// (`recovery.mid`: halfway through replaying the log; `open.afterRepairs`: once recovery
    /// has cut a torn tail and moved damaged files aside, before the log is reopened for appends;
    /// each reached once per process).
    static let all = [
        "wal.append.beforeWrite", "wal.append.afterWrite", "wal.sync.after",
        "wal.roll.afterCreate", "ckpt.capture.after", "ckpt.files.afterFirst", "ckpt.files.afterWrite",
        "ckpt.marker.after", "ckpt.rename.mid", "ckpt.metadata.afterRename", "ckpt.segments.beforeDelete",
        "recovery.mid", "open.afterRepairs",
    ]

    #if KillPoints
    private static let target: (name: String, nth: Int)? = {
        guard let raw = getenv("VS_KILL_AT") else { return nil }
        let spec = String(cString: raw)
        guard let colon = spec.lastIndex(of: ":"), let n = Int(spec[spec.index(after: colon)...]), n > 0 else {
            return (spec, 1)
        }
        return (String(spec[..<colon]), n)
    }()

    private static let counterLock = LockedValue(0)

    /// Kills the process if this is the configured point and occurrence.
    @inline(__always)
    static func reach(_ name: StaticString) {
        guard let target else { return }
        reachSlow(name.description, target: target)
    }

    private static func reachSlow(_ name: String, target: (name: String, nth: Int)) {
        guard name == target.name else { return }
        let count = counterLock.withLock { value -> Int in
            value += 1
            return value
        }
        if count == target.nth { kill(getpid(), SIGKILL) }
    }
    #else
    /// Does nothing: kill points are not compiled into this build.
    @inline(__always)
    static func reach(_ name: StaticString) {}
    #endif
}
