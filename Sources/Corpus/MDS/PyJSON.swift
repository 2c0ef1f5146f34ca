/// Minimal JSON value that serialises exactly like Python's `json.dumps(obj, sort_keys=True)`
/// (", " and ": " separators, ASCII-only escapes). MDSWriter's shard headers and index.json
/// are produced that way, and we want our files byte-identical to the reference writer's.
indirect enum PyJSON {
    case null
    case int(Int)
    case string(String)
    case array([PyJSON])
    case object([(String, PyJSON)])

    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .int(let v): out += String(v)
        case .string(let s): PyJSON.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += ", " }
                v.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            // Python sorts str keys by code point.
            let sorted = pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) { $0.value < $1.value } }
            for (i, (k, v)) in sorted.enumerated() {
                if i > 0 { out += ", " }
                PyJSON.quote(k, into: &out)
                out += ": "
                v.write(to: &out)
            }
            out += "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.utf16 {
            switch u {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F, 0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(u)))
            default:
                let hex = String(u, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
