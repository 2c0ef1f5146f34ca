/// JSON string literals written the way the reference tools write them, so our files match theirs
/// byte for byte.
public enum JSONText {
    /// serde_json (the safetensors library): `"` and `\` escaped, control characters as the short
    /// escapes or \u00XX, everything else (non-ASCII included) raw.
    public static func compactString(_ s: String) -> String {
        quoted(s, asciiOnly: false)
    }

    /// Python's json.dumps with its default ensure_ascii=True (transformers' index files): as above,
    /// but everything outside space...tilde (DEL included) as \uXXXX (a surrogate pair above U+FFFF).
    public static func asciiString(_ s: String) -> String {
        quoted(s, asciiOnly: true)
    }

    private static func quoted(_ s: String, asciiOnly: Bool) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar.value)
                } else if asciiOnly && scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += unicodeEscape(0xD800 + (v >> 10)) + unicodeEscape(0xDC00 + (v & 0x3FF))
                    } else {
                        out += unicodeEscape(scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
