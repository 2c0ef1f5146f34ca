import Formats

/// JSON in and out: transformers' `tojson` filter is Python's `json.dumps(x, ensure_ascii=False, indent=...,
/// separators=..., sort_keys=...)`, and `TemplateValue(json:)` reads JSON (Formats' OrderedJSON) keeping
/// object key order.
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
}

extension TemplateValue {
    /// Reads JSON text into a value, keeping the order of object keys (as Python's json module does; a repeated
    /// key keeps its first position and its last value).
    public init(json: String) throws {
        self.init(try OrderedJSON.parse(json))
    }

    private init(_ json: OrderedJSON) {
        switch json {
        case .object(let members):
            var dictionary = TemplateDictionary()
            for member in members { dictionary[member.key] = TemplateValue(member.value) }
            self = .dict(dictionary)
        case .array(let items): self = .list(items.map(TemplateValue.init))
        case .string(let s): self = .string(s)
        case .integer(let n): self = .int(n)
        case .number(let d): self = .double(d)
        case .bool(let b): self = .bool(b)
        case .null: self = .none
        }
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
