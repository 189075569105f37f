/// Why a FAISS index file was rejected, and where: ``FaissIndexReader`` throws it for truncated,
/// damaged or lying files, and for index types this codec does not support.
package struct FaissFormatError: Error, Hashable, CustomStringConvertible {
    /// What was wrong.
    package enum Problem: Hashable, Sendable {
        /// The field needs `needed` bytes but only `available` remain in the file.
        case truncated(needed: Int, available: Int)
        /// A class tag that is not one this codec reads here.
        case unexpectedTag(found: String, expected: [String])
        /// A value that is out of range or inconsistent with the rest of the file.
        case invalidValue(String)
        /// The index ended before the end of the file.
        case trailingBytes(count: Int)
    }

    /// Byte offset in the file of the field at fault.
    package var offset: Int
    /// The field at fault, e.g. `IndexHNSW.hnsw.neighbors[17]`.
    package var field: String
    /// What was wrong with it.
    package var problem: Problem

    package init(offset: Int, field: String, problem: Problem) {
        self.offset = offset
        self.field = field
        self.problem = problem
    }

    package var description: String {
        let what: String =
            switch problem {
            case let .truncated(needed, available):
                "the file is truncated: \(needed) bytes needed, \(available) left"
            case let .unexpectedTag(found, expected):
                "found class tag \"\(found)\", expected " + expected.map { "\"\($0)\"" }.joined(separator: " or ")
            case let .invalidValue(explanation):
                explanation
            case let .trailingBytes(count):
                "\(count) unexpected bytes after the end of the index"
            }
        return "invalid FAISS index file at byte \(offset) (\(field)): \(what)"
    }
}
