import Foundation

/// jinja2's built-in filters that chat templates use, with jinja2's argument names and defaults, plus
/// transformers' `tojson` (no HTML escaping, `ensure_ascii=False`, `indent`, `separators`, `sort_keys`).
enum Filters {
    static let names: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
        "float", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
        "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string",
        "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ]

    static func apply(_ name: String, _ value: TemplateValue, _ args: CallArguments, renderer: Renderer) throws -> TemplateValue {
        switch name {
        case "safe", "string": return name == "string" && !isString(value) ? .string(value.pythonStr) : value
        case "upper": return .string(pythonUpper(value.pythonStr))
        case "lower": return .string(pythonLower(value.pythonStr))
        case "capitalize": return .string(pythonCapitalize(value.pythonStr))
        case "title": return .string(jinjaTitle(value.pythonStr))
        case "trim": return .string(pythonStrip(value.pythonStr, args.value(0, "chars")?.stringValue))
        case "length", "count": return .int(try length(value))
        case "default", "d":
            let fallback = args.value(0, "default_value") ?? .string("")
            let boolean = args.value(1, "boolean")?.isTruthy ?? false
            if value.isUndefined || (boolean && !value.isTruthy) { return fallback }
            return value
        case "first", "last":
            let items = try sequence(value)
            return (name == "first" ? items.first : items.last) ?? .undefined
        case "list": return .list(try sequence(value))
        case "reverse":
            if case .string(let s) = value { return .string(String(scalars: s.scalars.reversed())) }
            return .list(try sequence(value).reversed())
        case "join":
            var items = try sequence(value)
            if let attribute = args.value(1, "attribute") { items = try items.map { try attributePath($0, attribute) } }
            return .string(items.map(\.pythonStr).joined(separator: args.value(0, "d")?.pythonStr ?? ""))
        case "replace":
            guard let old = args.value(0, "old"), let new = args.value(1, "new") else { throw ValueError("replace() needs old and new") }
            var count = -1
            if let c = args.value(2, "count"), case .int(let n) = c { count = n }
            return .string(pythonReplace(value.pythonStr, old.pythonStr, new.pythonStr, count: count))
        case "int": return try toInt(value, args)
        case "float": return try toFloat(value, args)
        case "abs":
            switch value {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw ValueError("bad operand type for abs(): '\(value.typeName)'")
            }
        case "round": return try round(value, args)
        case "escape", "e": return .string(htmlEscape(value.pythonStr))
        case "indent": return .string(try indent(value.pythonStr, args))
        case "items":
            if value.isUndefined { return .list([]) }
            guard case .dict(let d) = value else { throw ValueError("Can only get item pairs from a mapping.") }
            return .list(d.map { .tuple([.string($0.key), $0.value]) })
        case "dictsort": return try dictsort(value, args)
        case "unique": return try unique(value, args)
        case "sort": return try sort(value, args)
        case "min", "max": return try extreme(value, args, max: name == "max")
        case "sum":
            var total = args.value(1, "start") ?? .int(0)
            for var item in try sequence(value) {
                if let attribute = args.value(0, "attribute") { item = try attributePath(item, attribute) }
                total = try Operators.add(total, item)
            }
            return total
        case "map": return try map(value, args, renderer: renderer)
        case "select", "reject": return try select(value, args, keep: name == "select", attribute: false)
        case "selectattr", "rejectattr": return try select(value, args, keep: name == "selectattr", attribute: true)
        case "tojson": return .string(try JSONText.encode(value, args))
        case "format":
            if !args.named.isEmpty { return .string(try Operators.percentFormat(value.pythonStr, .dict(TemplateDictionary(args.named)))) }
            return .string(try Operators.percentFormat(value.pythonStr, .tuple(args.positional)))
        case "wordcount":
            var count = 0
            var inWord = false
            for c in value.pythonStr.unicodeScalars {
                let word = c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
                if word && !inWord { count += 1 }
                inWord = word
            }
            return .int(count)
        case "center":
            let width = args.value(0, "width").flatMap { if case .int(let w) = $0 { return w } else { return nil } } ?? 80
            return .string(try Methods.call(.string(value.pythonStr), "center", CallArguments(positional: [.int(width)])).pythonStr)
        case "attr":
            guard case .string(let attribute)? = args.value(0, "name") else { throw ValueError("attr() needs a name") }
            // getattr only: a dict's keys are not attributes.
            if case .dict = value { return try Access.boundMethod(value, attribute) ?? .undefined }
            return try Access.attribute(value, attribute)
        case "batch":
            guard case .int(let size)? = args.value(0, "linecount"), size > 0 else { throw ValueError("batch() needs a positive size") }
            let items = try sequence(value)
            var batches: [TemplateValue] = []
            var start = 0
            while start < items.count {
                var chunk = Array(items[start..<min(start + size, items.count)])
                if chunk.count < size, let fill = args.value(1, "fill_with"), !fill.isNone {
                    chunk += Array(repeating: fill, count: size - chunk.count)
                }
                batches.append(.list(chunk))
                start += size
            }
            return .list(batches)
        default:
            throw ValueError(.unknownFilterOrTest, "No filter named '\(name)'.")
        }
    }

    private static func isString(_ v: TemplateValue) -> Bool { if case .string = v { return true } else { return false } }

    static func length(_ value: TemplateValue) throws -> Int {
        switch value {
        case .string(let s): return s.unicodeScalars.count
        case .list(let items), .tuple(let items): return items.count
        case .dict(let d): return d.count
        case .undefined: return 0
        default: throw ValueError("object of type '\(value.typeName)' has no len()")
        }
    }

    /// `list(value)`.
    static func sequence(_ value: TemplateValue) throws -> [TemplateValue] { try Access.iterate(value) }

    /// jinja2's `make_attrgetter`: a dotted path of item lookups ("a.b", "items.0").
    static func attributePath(_ item: TemplateValue, _ path: TemplateValue) throws -> TemplateValue {
        if case .int = path { return try Access.item(item, path) }
        var value = item
        for part in pythonSplit(path.pythonStr, ".") {
            value = try Access.item(value, Int(part).map { .int($0) } ?? .string(part))
        }
        return value
    }

    /// jinja2's `title` filter: capitalise the first letter after spaces, dashes and opening brackets.
    static func jinjaTitle(_ s: String) -> String {
        let separators = Set("-({[<".unicodeScalars)
        var out = ""
        var atWordStart = true
        for c in s.unicodeScalars {
            if separators.contains(c) || isPythonWhitespace(c) {
                out.unicodeScalars.append(c)
                atWordStart = true
            } else {
                out += atWordStart ? c.properties.uppercaseMapping : c.properties.lowercaseMapping
                atWordStart = false
            }
        }
        return out
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func toInt(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        let fallback = args.value(0, "default") ?? .int(0)
        var base = 10
        if case .int(let b)? = args.value(1, "base") { base = b }
        switch value {
        case .int: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return d.isFinite ? .int(Int(d.rounded(.towardZero))) : fallback
        case .string(let s):
            let text = pythonStrip(s, nil).replacingOccurrences(of: "_", with: "")
            if let i = Int(text, radix: base) { return .int(i) }
            if base == 10, let d = Double(text), d.isFinite { return .int(Int(d.rounded(.towardZero))) }
            return fallback
        default: return fallback
        }
    }

    private static func toFloat(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        let fallback = args.value(0, "default") ?? .double(0)
        switch value {
        case .int(let i): return .double(Double(i))
        case .bool(let b): return .double(b ? 1 : 0)
        case .double: return value
        case .string(let s):
            return Double(pythonStrip(s, nil)).map { .double($0) } ?? fallback
        default: return fallback
        }
    }

    private static func round(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        guard let number = Operators.number(value) else { throw ValueError("type \(value.typeName) doesn't define __round__ method") }
        var precision = 0
        if case .int(let p)? = args.value(0, "precision") { precision = p }
        let method = args.value(1, "method")?.pythonStr ?? "common"
        let scale = pow(10.0, Double(precision))
        let x = number.asDouble
        switch method {
        case "common":
            if case .int = value { return value }
            // Python's round(): correctly rounded from the double's exact value, ties to even, as glibc's printf.
            if precision >= 0 { return .double(Double(String(format: "%.\(precision)f", x)) ?? x) }
            return .double((x * scale).rounded(.toNearestOrEven) / scale)
        case "ceil": return .double((x * scale).rounded(.up) / scale)
        case "floor": return .double((x * scale).rounded(.down) / scale)
        default: throw ValueError("method must be common, ceil or floor")
        }
    }

    private static func indent(_ s: String, _ args: CallArguments) throws -> String {
        var indentation = "    "
        if let width = args.value(0, "width") {
            switch width {
            case .string(let text): indentation = text
            case .int(let n): indentation = String(repeating: " ", count: max(n, 0))
            default: break
            }
        }
        let first = args.value(1, "first")?.isTruthy ?? false
        let blank = args.value(2, "blank")?.isTruthy ?? false
        var lines = pythonSplitLines(s + "\n")
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        if first { result = indentation + result }
        return result
    }

    /// jinja2's `ignore_case`: strings compare lower-cased unless case_sensitive.
    private static func sortKey(_ v: TemplateValue, caseSensitive: Bool) -> TemplateValue {
        if !caseSensitive, case .string(let s) = v { return .string(pythonLower(s)) }
        return v
    }

    private static func stableSort(_ items: [TemplateValue], key: (TemplateValue) throws -> TemplateValue, reverse: Bool) throws -> [TemplateValue] {
        let keyed = try items.enumerated().map { ($0.offset, try key($0.element), $0.element) }
        var failure: Error?
        let sorted = keyed.sorted { a, b in
            do {
                let c = try Operators.compare(a.1, b.1)
                if c != 0 { return reverse ? c > 0 : c < 0 }
            } catch { failure = error }
            return a.0 < b.0
        }
        if let failure { throw failure }
        return sorted.map(\.2)
    }

    private static func dictsort(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        guard case .dict(let d) = value else { throw ValueError("You can only sort by either a mapping") }
        let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
        let byValue = (args.value(1, "by")?.pythonStr ?? "key") == "value"
        let reverse = args.value(2, "reverse")?.isTruthy ?? false
        let pairs: [TemplateValue] = d.map { .tuple([.string($0.key), $0.value]) }
        return .list(try stableSort(pairs, key: { pair in
            guard case .tuple(let kv) = pair else { return pair }
            return sortKey(byValue ? kv[1] : kv[0], caseSensitive: caseSensitive)
        }, reverse: reverse))
    }

    private static func sort(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        let reverse = args.value(0, "reverse")?.isTruthy ?? false
        let caseSensitive = args.value(1, "case_sensitive")?.isTruthy ?? false
        let attribute = args.value(2, "attribute")
        return .list(try stableSort(try sequence(value), key: { item in
            sortKey(try attribute.map { try attributePath(item, $0) } ?? item, caseSensitive: caseSensitive)
        }, reverse: reverse))
    }

    private static func unique(_ value: TemplateValue, _ args: CallArguments) throws -> TemplateValue {
        let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
        let attribute = args.value(1, "attribute")
        var seen: [TemplateValue] = []
        var out: [TemplateValue] = []
        for item in try sequence(value) {
            let key = sortKey(try attribute.map { try attributePath(item, $0) } ?? item, caseSensitive: caseSensitive)
            if !seen.contains(where: { Operators.equal($0, key) }) {
                seen.append(key)
                out.append(item)
            }
        }
        return .list(out)
    }

    private static func extreme(_ value: TemplateValue, _ args: CallArguments, max: Bool) throws -> TemplateValue {
        let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
        let attribute = args.value(1, "attribute")
        var best: (TemplateValue, TemplateValue)?
        for item in try sequence(value) {
            let key = sortKey(try attribute.map { try attributePath(item, $0) } ?? item, caseSensitive: caseSensitive)
            if let current = best {
                let c = try Operators.compare(key, current.1)
                if max ? c > 0 : c < 0 { best = (item, key) }
            } else {
                best = (item, key)
            }
        }
        return best?.0 ?? .undefined
    }

    private static func map(_ value: TemplateValue, _ args: CallArguments, renderer: Renderer) throws -> TemplateValue {
        let items = try sequence(value)
        if let attribute = args.named("attribute") {
            let fallback = args.named("default")
            return .list(try items.map { item in
                let v = try attributePath(item, attribute)
                if v.isUndefined, let fallback { return fallback }
                return v
            })
        }
        guard case .string(let filter)? = args.positional.first else { throw ValueError("map() needs a filter name or attribute=") }
        guard names.contains(filter) else { throw ValueError(.unknownFilterOrTest, "No filter named '\(filter)'.") }
        let rest = CallArguments(positional: Array(args.positional.dropFirst()), named: args.named)
        return .list(try items.map { try apply(filter, $0, rest, renderer: renderer) })
    }

    private static func select(_ value: TemplateValue, _ args: CallArguments, keep: Bool, attribute: Bool) throws -> TemplateValue {
        var positional = args.positional
        var attributeName: TemplateValue?
        if attribute {
            guard !positional.isEmpty else { throw ValueError("Missing parameter for attribute name") }
            attributeName = positional.removeFirst()
        }
        var testName: String?
        if !positional.isEmpty {
            guard case .string(let name) = positional.removeFirst() else { throw ValueError("test name must be a string") }
            guard Tests.names.contains(name) else { throw ValueError(.unknownFilterOrTest, "No test named '\(name)'.") }
            testName = name
        }
        let testArguments = CallArguments(positional: positional, named: args.named)
        return .list(try sequence(value).filter { item in
            let subject = try attributeName.map { try attributePath(item, $0) } ?? item
            let passed = try testName.map { try Tests.apply($0, subject, testArguments) } ?? subject.isTruthy
            return passed == keep
        })
    }
}
