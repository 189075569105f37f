import VectorStorage

/// How the oracle must read a failure: `definite` (the operation did not happen and never will)
/// or `unknown` (it may be on disk: a crash or an I/O error whose outcome the store cannot know).
struct ErrorReport {
    var outcome: String
    var code: String
    var fields: [(String, String)] = []
    var message: String

    init(_ error: any Error) {
        message = "\(error)"
        guard let e = error as? VectorStoreError else {
            outcome = "unknown"
            code = "other"
            return
        }
        switch e {
        case .notConnected: (outcome, code) = ("definite", "notConnected")
        case .dimensionMismatch, .invalidVector, .invalidID, .duplicateID, .batchLengthMismatch, .invalidPayload,
             .invalidArgument, .invalidFilter, .invalidConfiguration:
            (outcome, code) = ("definite", "invalid")
        case .capacityExceeded: (outcome, code) = ("definite", "capacityExceeded")
        case .vectorNotFound: (outcome, code) = ("definite", "vectorNotFound")
        case .collectionMismatch: (outcome, code) = ("definite", "collectionMismatch")
        case .directoryLocked(let path):
            (outcome, code) = ("definite", "directoryLocked")
            fields = [("path", path)]
        case .persistenceFailure(let path, let operation, let errno, _):
            (outcome, code) = ("unknown", "persistenceFailure")
            fields = [("path", path), ("operation", operation), ("errno", errno.map(String.init) ?? "")]
        case .diskFull(let path):
            (outcome, code) = ("definite", "diskFull")
            fields = [("path", path)]
        case .writesDisabled: (outcome, code) = ("definite", "writesDisabled")
        case .corruptLog(let path, let offset, let lastGood):
            (outcome, code) = ("definite", "corruptLog")
            fields = [("path", path), ("offset", String(offset)), ("lastGood", String(lastGood))]
        case .corruptFile(let path, _):
            (outcome, code) = ("definite", "corruptFile")
            fields = [("path", path)]
        case .unsupportedFormat(let path, _):
            (outcome, code) = ("definite", "unsupportedFormat")
            fields = [("path", path)]
        }
    }

    /// `{"ok":false,"outcome":...,"code":...,<fields>,"message":...}`
    var json: String {
        var parts = ["\"ok\":false", "\"outcome\":\(Out.json(outcome))", "\"code\":\(Out.json(code))"]
        for (k, v) in fields { parts.append("\(Out.json(k)):\(Out.json(v))") }
        parts.append("\"message\":\(Out.json(message))")
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `<outcome> <code> <message on one line>`, for FAIL lines.
    var line: String { "\(outcome) \(code) \(Out.oneLine(message))" }
}
