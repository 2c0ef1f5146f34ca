import Formats
extension JSONValue {
    /// The value as JSON text the way `tokenizers` and transformers write their files: 2-space
    /// indentation, non-ASCII characters kept as UTF-8, integral numbers without a fraction.
    /// Arrays of scalars (a merge pair, a list of ids) stay on one line to keep big files readable.
    public func jsonText() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.numberText(n)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                out += i == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: indent + 2)
                item.write(into: &out, indent: indent + 2)
            }
            out += "\n" + String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, member) in members.enumerated() {
                out += i == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: indent + 2)
                Self.writeString(member.key, into: &out)
                out += ": "
                member.value.write(into: &out, indent: indent + 2)
            }
            out += "\n" + String(repeating: " ", count: indent) + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// Integral values as integers (token ids, lengths); others with Swift's shortest round-trip digits.
    static func numberText(_ n: Double) -> String {
        precondition(n.isFinite, "JSON has no literal for \(n)")
        if n == n.rounded(), abs(n) < 9.0e15 { return String(Int64(n)) }
        return n.description
    }

    /// Escapes only what JSON requires (quote, backslash, control characters), as serde_json does.
    static func writeString(_ s: String, into out: inout String) {
        out += JSONText.compactString(s)
    }
}
