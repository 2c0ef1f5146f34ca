/// The Python methods templates call on values (`content.strip()`, `message.get('x')`, `d.items()`), with
/// Python's behaviour; methods that would change a list or dict are refused (see `Access.unsafeMethods`).
enum Methods {
    static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper", "lower",
        "title", "capitalize", "swapcase", "replace", "find", "rfind", "index", "rindex", "count", "join", "format",
        "isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace", "islower", "isupper", "istitle",
        "zfill", "center", "ljust", "rjust", "removeprefix", "removesuffix", "partition", "rpartition",
    ]
    static let dictMethods: Set<String> = ["items", "keys", "values", "get", "copy"]
    static let listMethods: Set<String> = ["index", "count", "copy"]

    static func exists(on value: TemplateValue, _ name: String) -> Bool {
        switch value {
        case .string: return stringMethods.contains(name)
        case .dict: return dictMethods.contains(name)
        case .list: return listMethods.contains(name)
        case .tuple: return name == "index" || name == "count"
        default: return false
        }
    }

    static func call(_ receiver: TemplateValue, _ name: String, _ args: CallArguments) throws -> TemplateValue {
        switch receiver {
        case .string(let s): return try stringMethod(s, name, args)
        case .dict(let d):
            switch name {
            case "items": return .list(d.map { .tuple([.string($0.key), $0.value]) })
            case "keys": return .list(d.keys.map { .string($0) })
            case "values": return .list(d.values)
            case "copy": return receiver
            case "get":
                guard let key = args.value(0, "key") else { throw ValueError("get expected at least 1 argument, got 0") }
                if case .string(let k) = key, let value = d[k] { return value }
                return args.value(1, "default") ?? .none
            default: break
            }
        case .list(let items), .tuple(let items):
            switch name {
            case "copy": return receiver
            case "count":
                guard let x = args.positional.first else { throw ValueError("count() takes exactly one argument (0 given)") }
                return .int(items.filter { Operators.equal($0, x) }.count)
            case "index":
                guard let x = args.positional.first else { throw ValueError("index expected at least 1 argument, got 0") }
                if let i = items.firstIndex(where: { Operators.equal($0, x) }) { return .int(i) }
                throw ValueError("\(x.pythonRepr) is not in list")
            default: break
            }
        default: break
        }
        throw ValueError("'\(receiver.typeName)' object has no attribute '\(name)'")
    }

    private static func string(_ v: TemplateValue?, _ what: String) throws -> String? {
        guard let v, !v.isNone else { return nil }
        guard case .string(let s) = v else { throw ValueError("\(what) arg must be None or str") }
        return s
    }

    private static func int(_ v: TemplateValue?, _ fallback: Int) -> Int {
        if case .int(let i)? = v { return i }
        return fallback
    }

    private static func stringMethod(_ s: String, _ name: String, _ args: CallArguments) throws -> TemplateValue {
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try string(args.value(0, "chars"), name)
            return .string(pythonStrip(s, chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let separator = try string(args.value(0, "sep"), name)
            if separator == "" { throw ValueError("empty separator") }
            let maxSplit = int(args.value(1, "maxsplit"), -1)
            let parts = name == "split" ? pythonSplit(s, separator, maxSplit: maxSplit) : pythonRSplit(s, separator, maxSplit: maxSplit)
            return .list(parts.map { .string($0) })
        case "splitlines": return .list(pythonSplitLines(s).map { .string($0) })
        case "startswith", "endswith":
            guard let affix = args.value(0, "prefix") else { throw ValueError("\(name)() takes at least 1 argument (0 given)") }
            let candidates: [TemplateValue]
            switch affix {
            case .tuple(let items), .list(let items): candidates = items
            default: candidates = [affix]
            }
            let scalars = s.scalars
            for candidate in candidates {
                guard case .string(let c) = candidate else { throw ValueError("\(name) first arg must be str or a tuple of str") }
                let a = c.scalars
                guard a.count <= scalars.count else { continue }
                let slice = name == "startswith" ? scalars[..<a.count] : scalars[(scalars.count - a.count)...]
                if slice.elementsEqual(a) { return .bool(true) }
            }
            return .bool(false)
        case "upper": return .string(pythonUpper(s))
        case "lower": return .string(pythonLower(s))
        case "title": return .string(pythonTitle(s))
        case "capitalize": return .string(pythonCapitalize(s))
        case "swapcase": return .string(pythonSwapcase(s))
        case "replace":
            guard case .string(let old)? = args.value(0, "old"), case .string(let new)? = args.value(1, "new") else {
                throw ValueError("replace() arguments must be str")
            }
            return .string(pythonReplace(s, old, new, count: int(args.value(2, "count"), -1)))
        case "find", "rfind", "index", "rindex":
            guard case .string(let needle)? = args.value(0, "sub") else { throw ValueError("must be str") }
            let found = name.hasPrefix("r") ? rfindScalars(s.scalars, needle.scalars) : findScalars(s.scalars, needle.scalars)
            if found == nil && name.hasSuffix("index") { throw ValueError("substring not found") }
            return .int(found ?? -1)
        case "count":
            guard case .string(let needle)? = args.value(0, "sub") else { throw ValueError("must be str") }
            return .int(pythonCount(s, needle))
        case "join":
            guard let iterable = args.value(0, "iterable") else { throw ValueError("join() takes exactly one argument") }
            let parts = try Access.iterate(iterable).map { item -> String in
                guard case .string(let text) = item else { throw ValueError("sequence item: expected str instance, \(item.typeName) found") }
                return text
            }
            return .string(parts.joined(separator: s))
        case "format": return .string(try braceFormat(s, args))
        case "isdigit", "isdecimal", "isnumeric":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(isPythonWhitespace))
        case "islower": return .bool(s.unicodeScalars.contains { $0.properties.changesWhenUppercased } && pythonLower(s) == s)
        case "isupper": return .bool(s.unicodeScalars.contains { $0.properties.changesWhenLowercased } && pythonUpper(s) == s)
        case "istitle": return .bool(!s.isEmpty && pythonTitle(s) == s)
        case "zfill":
            let width = int(args.value(0, "width"), 0)
            var scalars = s.scalars
            guard scalars.count < width else { return .string(s) }
            let sign = scalars.first == "-" || scalars.first == "+" ? [scalars.removeFirst()] : []
            return .string(String(scalars: sign + Array(repeating: "0", count: width - s.scalars.count) + scalars))
        case "center", "ljust", "rjust":
            let width = int(args.value(0, "width"), 0)
            var fill: Unicode.Scalar = " "
            if case .string(let f)? = args.value(1, "fillchar"), f.unicodeScalars.count == 1 { fill = f.unicodeScalars.first! }
            let length = s.unicodeScalars.count
            guard width > length else { return .string(s) }
            let total = width - length
            let pad = { (n: Int) in String(String.UnicodeScalarView(repeatElement(fill, count: n))) }
            switch name {
            case "ljust": return .string(s + pad(total))
            case "rjust": return .string(pad(total) + s)
            default:
                // CPython: left = total/2 + (total & width & 1).
                let left = total / 2 + (total & width & 1)
                return .string(pad(left) + s + pad(total - left))
            }
        case "removeprefix", "removesuffix":
            guard case .string(let affix)? = args.positional.first else { throw ValueError("\(name)() argument must be str") }
            let a = affix.scalars
            let scalars = s.scalars
            if name == "removeprefix", scalars.starts(with: a) { return .string(String(scalars: scalars.dropFirst(a.count))) }
            if name == "removesuffix", !a.isEmpty, a.count <= scalars.count, scalars.suffix(a.count).elementsEqual(a) {
                return .string(String(scalars: scalars.dropLast(a.count)))
            }
            return .string(s)
        case "partition", "rpartition":
            guard case .string(let sep)? = args.positional.first, !sep.isEmpty else { throw ValueError("empty separator") }
            let found = name == "partition" ? findScalars(s.scalars, sep.scalars) : rfindScalars(s.scalars, sep.scalars)
            guard let at = found else {
                return name == "partition" ? .tuple([.string(s), "", ""]) : .tuple(["", "", .string(s)])
            }
            let scalars = s.scalars
            return .tuple([.string(String(scalars: scalars[..<at])), .string(sep), .string(String(scalars: scalars[(at + sep.scalars.count)...]))])
        default:
            throw ValueError("'str' object has no attribute '\(name)'")
        }
    }

    /// `str.format` with `{}`, `{0}`, `{name}` fields and `{{`/`}}` escapes (format specs are not supported).
    private static func braceFormat(_ format: String, _ args: CallArguments) throws -> String {
        var out = ""
        let f = format.scalars
        var i = 0
        var automatic = 0
        while i < f.count {
            let c = f[i]
            if c == "{" && i + 1 < f.count && f[i + 1] == "{" { out += "{"; i += 2; continue }
            if c == "}" && i + 1 < f.count && f[i + 1] == "}" { out += "}"; i += 2; continue }
            guard c == "{" else { out.unicodeScalars.append(c); i += 1; continue }
            var j = i + 1
            while j < f.count && f[j] != "}" { j += 1 }
            guard j < f.count else { throw ValueError("Single '{' encountered in format string") }
            let field = String(scalars: f[(i + 1)..<j])
            if field.contains(":") || field.contains("!") { throw ValueError("format specs are not supported in str.format") }
            let value: TemplateValue?
            if field.isEmpty {
                value = automatic < args.positional.count ? args.positional[automatic] : nil
                automatic += 1
            } else if let n = Int(field) {
                value = n < args.positional.count ? args.positional[n] : nil
            } else {
                value = args.named(field)
            }
            guard let value else { throw ValueError("Replacement index \(field) out of range for positional args tuple") }
            out += value.pythonStr
            i = j + 1
        }
        return out
    }
}
