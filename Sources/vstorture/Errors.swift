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
        switch e.code {
        case .notConnected: (outcome, code) = ("definite", "notConnected")
        case .dimensionMismatch, .invalidVector, .invalidID, .duplicateID, .batchLengthMismatch, .invalidPayload,
            .invalidArgument, .invalidFilter, .invalidConfiguration:
            (outcome, code) = ("definite", "invalid")
        case .capacityExceeded: (outcome, code) = ("definite", "capacityExceeded")
        case .vectorNotFound: (outcome, code) = ("definite", "vectorNotFound")
        case .collectionMismatch: (outcome, code) = ("definite", "collectionMismatch")
        case .directoryLocked: (outcome, code) = ("definite", "directoryLocked")
        case .persistenceFailure:
            (outcome, code) = ("unknown", "persistenceFailure")
            fields = [("operation", e.operation ?? ""), ("errno", e.errno.map(String.init) ?? "")]
        case .diskFull: (outcome, code) = ("definite", "diskFull")
        case .writesDisabled: (outcome, code) = ("definite", "writesDisabled")
        case .corruptLog:
            (outcome, code) = ("definite", "corruptLog")
            if let damage = e.logDamage {
                fields = [("offset", String(damage.offset)), ("lastGood", String(damage.lastGoodSequence))]
            }
        case .corruptFile: (outcome, code) = ("definite", "corruptFile")
        case .unsupportedFormat: (outcome, code) = ("definite", "unsupportedFormat")
        default: (outcome, code) = ("unknown", e.code.description)
        }
        if let path = e.path { fields.insert(("path", path), at: 0) }
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
