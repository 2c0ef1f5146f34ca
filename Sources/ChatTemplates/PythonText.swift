import Foundation

/// Python's `str.isspace()` set, which is also what `\s` matches in jinja2's regular expressions.
func isPythonWhitespace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}

/// Python's `str.splitlines()` boundaries.
func isPythonLineBreak(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
}

extension String {
    var scalars: [Unicode.Scalar] { Array(unicodeScalars) }
    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
    /// Code-point equality, as Python compares strings (Swift's `==` would also equate canonically equivalent forms).
    func pythonEquals(_ other: String) -> Bool { unicodeScalars.elementsEqual(other.unicodeScalars) }
    func pythonLess(_ other: String) -> Bool {
        unicodeScalars.lexicographicallyPrecedes(other.unicodeScalars) { $0.value < $1.value }
    }
}

/// Python's `repr(float)`: the shortest text that reads back to the same double, in exponent form below 1e-4 and
/// from 1e16 on.
func pythonFloatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    // Swift's description is already shortest-round-trip with the same switch-over points as Python.
    var text = d.description
    if let e = text.firstIndex(of: "e") {
        // Swift writes "1e-05" and "1e+16" like Python; make sure the exponent has two digits at least.
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") || exponent.hasPrefix("+") {
            sign = String(exponent.removeFirst())
        }
        while exponent.count < 2 { exponent = "0" + exponent }
        text = mantissa + "e" + sign + exponent
    }
    return text
}

/// Python's `repr(str)`.
func pythonStringRepr(_ s: String) -> String {
    let quote: Unicode.Scalar = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String.UnicodeScalarView()
    out.append(quote)
    for c in s.unicodeScalars {
        switch c {
        case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
        case "\n": out.append(contentsOf: "\\n".unicodeScalars)
        case "\r": out.append(contentsOf: "\\r".unicodeScalars)
        case "\t": out.append(contentsOf: "\\t".unicodeScalars)
        default:
            if c == quote {
                out.append("\\")
                out.append(c)
            } else if isPythonPrintable(c) {
                out.append(c)
            } else if c.value < 0x100 {
                out.append(contentsOf: String(format: "\\x%02x", c.value).unicodeScalars)
            } else if c.value < 0x10000 {
                out.append(contentsOf: String(format: "\\u%04x", c.value).unicodeScalars)
            } else {
                out.append(contentsOf: String(format: "\\U%08x", c.value).unicodeScalars)
            }
        }
    }
    out.append(quote)
    return String(out)
}

/// Python's `str.isprintable()` for one character: not a control, format, surrogate, private-use, unassigned,
/// line/paragraph separator or non-ASCII space character.
func isPythonPrintable(_ c: Unicode.Scalar) -> Bool {
    if c == " " { return true }
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

extension TemplateValue {
    /// Python's `str(value)`: what `{{ value }}` prints.
    var pythonStr: String {
        switch self {
        case .string(let s): return s
        case .undefined: return ""
        default: return pythonRepr
        }
    }

    /// Python's `repr(value)`: how values print inside lists and dicts.
    var pythonRepr: String {
        switch self {
        case .string(let s): return pythonStringRepr(s)
        case .int(let i): return String(i)
        case .double(let d): return pythonFloatRepr(d)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .undefined: return "Undefined"
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + items[0].pythonRepr + ",)" }
            return "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .dict(let d):
            return "{" + d.map { pythonStringRepr($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        case .namespace(let ns):
            return "<Namespace " + TemplateValue.dict(ns.attributes).pythonRepr + ">"
        case .macro(let callable): return callable.pythonRepr
        }
    }
}

// MARK: case mapping

func pythonUpper(_ s: String) -> String { s.uppercased() }
func pythonLower(_ s: String) -> String { s.lowercased() }

private func isCased(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter: return true
    default: return false
    }
}

/// Python's `str.title()`: a cased character after an uncased one is title-cased, the others lower-cased.
func pythonTitle(_ s: String) -> String {
    var out = ""
    var previousCased = false
    for c in s.unicodeScalars {
        out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
        previousCased = isCased(c)
    }
    return out
}

/// Python's `str.capitalize()`: the first character title-cased, the rest lower-cased.
func pythonCapitalize(_ s: String) -> String {
    var out = ""
    for (i, c) in s.unicodeScalars.enumerated() {
        out += i == 0 ? c.properties.titlecaseMapping : c.properties.lowercaseMapping
    }
    return out
}

func pythonSwapcase(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        switch c.properties.generalCategory {
        case .uppercaseLetter: out += c.properties.lowercaseMapping
        case .lowercaseLetter: out += c.properties.uppercaseMapping
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

// MARK: searching and splitting on code points

func findScalars(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar], from start: Int = 0) -> Int? {
    if needle.isEmpty { return start <= haystack.count ? start : nil }
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    var i = start
    while i <= haystack.count - needle.count {
        if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        i += 1
    }
    return nil
}

func rfindScalars(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var i = haystack.count - needle.count
    while i >= 0 {
        if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        i -= 1
    }
    return nil
}

func pythonContains(_ haystack: String, _ needle: String) -> Bool {
    findScalars(haystack.scalars, needle.scalars) != nil
}

func pythonCount(_ haystack: String, _ needle: String) -> Int {
    let h = haystack.scalars
    let n = needle.scalars
    if n.isEmpty { return h.count + 1 }
    var count = 0
    var start = 0
    while let at = findScalars(h, n, from: start) {
        count += 1
        start = at + n.count
    }
    return count
}

/// Python's `str.replace(old, new, count)`, including the empty-`old` case that inserts between characters.
func pythonReplace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
    let h = s.scalars
    let o = old.scalars
    let n = new.scalars
    var out: [Unicode.Scalar] = []
    var remaining = count < 0 ? Int.max : count
    if o.isEmpty {
        for c in h {
            if remaining > 0 { out += n; remaining -= 1 }
            out.append(c)
        }
        if remaining > 0 { out += n }
        return String(scalars: out)
    }
    var i = 0
    while i < h.count {
        if remaining > 0, let at = findScalars(h, o, from: i), at == i {
            out += n
            i += o.count
            remaining -= 1
        } else {
            out.append(h[i])
            i += 1
        }
    }
    return String(scalars: out)
}

/// Python's `str.strip/lstrip/rstrip(chars)`; nil chars means whitespace.
func pythonStrip(_ s: String, _ chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
    let set = chars.map { Set($0.unicodeScalars) }
    let strip: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isPythonWhitespace($0) }
    let a = s.scalars
    var start = 0
    var end = a.count
    if leading { while start < end && strip(a[start]) { start += 1 } }
    if trailing { while end > start && strip(a[end - 1]) { end -= 1 } }
    return String(scalars: a[start..<end])
}

/// Python's `str.split(sep, maxsplit)`; a nil separator splits on whitespace runs and drops empty ends.
func pythonSplit(_ s: String, _ separator: String?, maxSplit: Int = -1) -> [String] {
    let a = s.scalars
    var parts: [String] = []
    var splits = 0
    guard let separator else {
        var i = 0
        while i < a.count {
            while i < a.count && isPythonWhitespace(a[i]) { i += 1 }
            if i >= a.count { break }
            if maxSplit >= 0 && splits >= maxSplit {
                var end = a.count
                while end > i && isPythonWhitespace(a[end - 1]) { end -= 1 }
                parts.append(String(scalars: a[i..<end]))
                return parts
            }
            let start = i
            while i < a.count && !isPythonWhitespace(a[i]) { i += 1 }
            parts.append(String(scalars: a[start..<i]))
            splits += 1
        }
        return parts
    }
    let sep = separator.scalars
    var start = 0
    while maxSplit < 0 || splits < maxSplit, let at = findScalars(a, sep, from: start) {
        parts.append(String(scalars: a[start..<at]))
        start = at + sep.count
        splits += 1
    }
    parts.append(String(scalars: a[start...]))
    return parts
}

/// Python's `str.rsplit(sep, maxsplit)` with a separator (the whitespace form splits from the right the same way).
func pythonRSplit(_ s: String, _ separator: String?, maxSplit: Int = -1) -> [String] {
    if maxSplit < 0 { return pythonSplit(s, separator) }
    let reversed = String(scalars: s.scalars.reversed())
    let reversedSeparator = separator.map { String(scalars: $0.scalars.reversed()) }
    return pythonSplit(reversed, reversedSeparator, maxSplit: maxSplit).reversed().map { String(scalars: $0.scalars.reversed()) }
}

/// Python's `str.splitlines(keepends=False)`.
func pythonSplitLines(_ s: String) -> [String] {
    let a = s.scalars
    var lines: [String] = []
    var start = 0
    var i = 0
    while i < a.count {
        if isPythonLineBreak(a[i]) {
            lines.append(String(scalars: a[start..<i]))
            if a[i] == "\r" && i + 1 < a.count && a[i + 1] == "\n" { i += 1 }
            start = i + 1
        }
        i += 1
    }
    if start < a.count { lines.append(String(scalars: a[start...])) }
    return lines
}
