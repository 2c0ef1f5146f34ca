import Formats

/// JSON in and out: transformers' `tojson` filter is Python's `json.dumps(x, ensure_ascii=False, indent=...,
/// separators=..., sort_keys=...)`, and `TemplateValue(json:)` reads JSON keeping object key order.
enum JSONText {
    static func encode(_ value: TemplateValue, _ args: CallArguments) throws -> String {
        // transformers' signature: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
        let ensureASCII = args.value(0, "ensure_ascii")?.isTruthy ?? false
        var indent: String?
        switch args.value(1, "indent") {
        case .int(let n)?: indent = String(repeating: " ", count: max(n, 0))
        case .string(let s)?: indent = s
        default: indent = nil
        }
        var itemSeparator = indent == nil ? ", " : ","
        var keySeparator = ": "
        if let separators = args.value(2, "separators"), !separators.isNone {
            let parts = try Access.iterate(separators)
            guard parts.count == 2 else { throw ValueError("separators must be a pair") }
            itemSeparator = parts[0].pythonStr
            keySeparator = parts[1].pythonStr
        }
        let sortKeys = args.value(3, "sort_keys")?.isTruthy ?? false
        var out = ""
        try write(value, into: &out, level: 0, indent: indent, itemSeparator: itemSeparator, keySeparator: keySeparator,
                  sortKeys: sortKeys, ensureASCII: ensureASCII)
        return out
    }

    private static func write(
        _ value: TemplateValue, into out: inout String, level: Int, indent: String?, itemSeparator: String,
        keySeparator: String, sortKeys: Bool, ensureASCII: Bool
    ) throws {
        func newline(_ depth: Int) {
            if let indent { out += "\n" + String(repeating: indent, count: depth) }
        }
        switch value {
        case .string(let s): out += quote(s, ensureASCII: ensureASCII)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .none: out += "null"
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += pythonFloatRepr(d) }
        case .list(let items), .tuple(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1)
                try write(item, into: &out, level: level + 1, indent: indent, itemSeparator: itemSeparator,
                          keySeparator: keySeparator, sortKeys: sortKeys, ensureASCII: ensureASCII)
            }
            newline(level)
            out += "]"
        case .dict(let d):
            if d.isEmpty { out += "{}"; return }
            var keys = d.keys
            if sortKeys { keys.sort { $0.pythonLess($1) } }
            out += "{"
            for (i, key) in keys.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1)
                out += quote(key, ensureASCII: ensureASCII) + keySeparator
                try write(d[key]!, into: &out, level: level + 1, indent: indent, itemSeparator: itemSeparator,
                          keySeparator: keySeparator, sortKeys: sortKeys, ensureASCII: ensureASCII)
            }
            newline(level)
            out += "}"
        case .undefined, .macro, .namespace:
            throw ValueError("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    /// Python's json string quoting: the same escapes as the files Formats writes (ensure_ascii: \uXXXX, surrogate pairs).
    static func quote(_ s: String, ensureASCII: Bool) -> String {
        ensureASCII ? Formats.JSONText.asciiString(s) : Formats.JSONText.compactString(s)
    }

    // MARK: parsing

    struct ParseError: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "JSON: \(message) at byte \(offset)" }
    }

    static func parse(_ text: String) throws -> TemplateValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw ParseError(message: "trailing characters", offset: parser.at) }
        return value
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var at = 0

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    func fail(_ message: String) -> JSONText.ParseError { JSONText.ParseError(message: message, offset: at) }

    mutating func literal(_ word: String, _ value: TemplateValue) throws -> TemplateValue {
        let w = Array(word.utf8)
        guard at + w.count <= bytes.count, Array(bytes[at..<(at + w.count)]) == w else { throw fail("invalid literal") }
        at += w.count
        return value
    }

    mutating func value() throws -> TemplateValue {
        guard at < bytes.count else { throw fail("unexpected end") }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var d = TemplateDictionary()
            skipSpace()
            if at < bytes.count && bytes[at] == UInt8(ascii: "}") { at += 1; return .dict(d) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                at += 1
                skipSpace()
                d[key] = try value()
                skipSpace()
                guard at < bytes.count else { throw fail("unexpected end") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .dict(d) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [TemplateValue] = []
            skipSpace()
            if at < bytes.count && bytes[at] == UInt8(ascii: "]") { at += 1; return .list(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard at < bytes.count else { throw fail("unexpected end") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .list(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .none)
        default: return try number()
        }
    }

    mutating func number() throws -> TemplateValue {
        let start = at
        var isFloat = false
        while at < bytes.count {
            let b = bytes[at]
            if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
                at += 1
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                isFloat = true
                at += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw fail("invalid number") }
        return .double(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16) else {
            throw fail("invalid \\u escape")
        }
        at += 4
        return v
    }

    mutating func string() throws -> String {
        at += 1
        var out = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            out.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
            run.removeAll()
        }
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                flush()
                return String(out)
            }
            if b != UInt8(ascii: "\\") {
                run.append(b)
                at += 1
                continue
            }
            flush()
            at += 1
            guard at < bytes.count else { break }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "/"): out.append("/")
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "u"):
                var v = try hex4()
                if v >= 0xD800 && v < 0xDC00, at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                    at += 2
                    let low = try hex4()
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }
}

extension TemplateValue {
    /// Reads JSON text into a value, keeping the order of object keys (as Python's json module does).
    public init(json: String) throws {
        self = try JSONText.parse(json)
    }

    /// Python's `json.dumps(value, ensure_ascii=False)` (transformers' `tojson`), optionally indented.
    public func jsonText(indent: Int? = nil) throws -> String {
        do {
            return try JSONText.encode(self, CallArguments(named: indent.map { [("indent", .int($0))] } ?? []))
        } catch let failure as ValueError {
            throw TemplateError(failure.kind, failure.message, line: 0, column: 0)
        }
    }
}
