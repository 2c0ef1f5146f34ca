import Formats
/// Writes `ConfigJSON` the way transformers writes config.json (`json.dumps(indent=2)` plus a final
/// newline, ASCII-only with `\uXXXX` escapes), keeping key order and number literals as stored.
enum ConfigJSONWriter {
    static func text(_ value: ConfigJSON) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        out += "\n"
        return out
    }

    private static func write(_ value: ConfigJSON, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case let .bool(flag): out += flag ? "true" : "false"
        case let .number(literal): out += literal
        case let .string(text): writeString(text, into: &out)
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (offset, item) in items.enumerated() {
                out += (offset == 0 ? "\n" : ",\n") + String(repeating: " ", count: indent + 2)
                write(item, indent: indent + 2, into: &out)
            }
            out += "\n" + String(repeating: " ", count: indent) + "]"
        case let .object(entries):
            guard !entries.isEmpty else { out += "{}"; return }
            out += "{"
            for (offset, entry) in entries.enumerated() {
                out += (offset == 0 ? "\n" : ",\n") + String(repeating: " ", count: indent + 2)
                writeString(entry.key, into: &out)
                out += ": "
                write(entry.value, indent: indent + 2, into: &out)
            }
            out += "\n" + String(repeating: " ", count: indent) + "}"
        }
    }

    /// As Python's json.dumps (transformers' save_pretrained): non-ASCII as \uXXXX escapes.
    private static func writeString(_ text: String, into out: inout String) {
        out += JSONText.asciiString(text)
    }
}
