/// A location inside a payload, written the way a user reads it: `meta.tags[3]`.
///
/// Keys are joined with `.` and array indices are written `[n]`. A key that is empty or contains
/// `.`, `[`, `]`, `"`, `\` or a control character is written quoted in brackets with JSON string
/// escapes (`meta["a.b"]`), so every path is unambiguous. The payload itself is the empty path.
struct PayloadPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path.
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(_ components: [Component] = []) {
        self.components = components
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let i):
                text += "[\(i)]"
            case .key(let key) where Self.isPlain(key):
                if !text.isEmpty { text += "." }
                text += key
            case .key(let key):
                var writer = JSONWriter()
                writer.writeString(key)
                text += "[" + String(decoding: writer.bytes, as: UTF8.self) + "]"
            }
        }
        return text
    }

    private static func isPlain(_ key: String) -> Bool {
        !key.isEmpty
            && !key.utf8.contains { byte in
                byte < 0x20 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
                    || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            }
    }
}
