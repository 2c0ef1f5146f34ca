/// Splits template text into tokens exactly as jinja2's lexer does with trim_blocks=True and lstrip_blocks=True:
/// `{%- ` / `-%}` strip all whitespace on that side, `{%+` / `+%}` turn off lstrip / trim for that tag, a block or
/// comment tag alone on its line loses the indentation before it and the newline after it, and `{{ }}` gets neither.
struct Lexer {
    private let source: SourceText
    private var s: [Unicode.Scalar] { source.scalars }
    private var pos = 0
    private var tokens: [Token] = []
    /// jinja2's `line_starting`: whether the last thing consumed ended with a newline.
    private var lineStarting = true
    private var brackets: [(close: Unicode.Scalar, offset: Int)] = []

    init(_ source: SourceText) { self.source = source }

    static func tokenize(_ source: SourceText) throws -> [Token] {
        var lexer = Lexer(source)
        try lexer.run()
        return lexer.tokens
    }

    private enum TagKind { case variable, block, comment }

    private mutating func run() throws {
        while pos < s.count {
            guard let (start, kind) = nextOpener(from: pos) else {
                tokens.append(Token(kind: .data(String(String.UnicodeScalarView(s[pos...]))), offset: pos))
                pos = s.count
                break
            }
            let signAt = start + 2
            let sign: Unicode.Scalar? = signAt < s.count && (s[signAt] == "-" || s[signAt] == "+") ? s[signAt] : nil
            if kind == .block, let rawEnd = rawBeginEnd(at: start) {
                emitText(from: pos, to: start, sign: sign, lstripAllowed: true)
                pos = rawEnd
                lineStarting = pos > 0 && s[pos - 1] == "\n"
                try lexRawBody(openedAt: start)
                continue
            }
            emitText(from: pos, to: start, sign: sign, lstripAllowed: kind != .variable)
            pos = signAt + (sign == nil ? 0 : 1)
            lineStarting = false
            switch kind {
            case .comment: try lexComment(openedAt: start)
            case .variable:
                tokens.append(Token(kind: .variableBegin, offset: start))
                try lexTag(block: false, openedAt: start)
            case .block:
                tokens.append(Token(kind: .blockBegin, offset: start))
                try lexTag(block: true, openedAt: start)
            }
        }
        tokens.append(Token(kind: .eof, offset: s.count))
    }

    private func nextOpener(from start: Int) -> (Int, TagKind)? {
        var i = start
        while i + 1 < s.count {
            if s[i] == "{" {
                switch s[i + 1] {
                case "{": return (i, .variable)
                case "%": return (i, .block)
                case "#": return (i, .comment)
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// The text before a tag, with `-` stripping or lstrip_blocks applied (jinja2's OptionalLStrip rule).
    private mutating func emitText(from start: Int, to end: Int, sign: Unicode.Scalar?, lstripAllowed: Bool) {
        var stop = end
        if sign == "-" {
            while stop > start && isPythonWhitespace(s[stop - 1]) { stop -= 1 }
        } else if sign != "+" && lstripAllowed {
            var lineStart = start
            var i = end
            while i > start {
                if s[i - 1] == "\n" { lineStart = i; break }
                i -= 1
            }
            if (lineStart > start || lineStarting) && lineStart < end
                && s[lineStart..<end].allSatisfy(isPythonWhitespace)
            {
                stop = lineStart
            }
        }
        if stop > start {
            tokens.append(Token(kind: .data(String(String.UnicodeScalarView(s[start..<stop]))), offset: start))
        }
    }

    private func matches(_ text: String, at offset: Int) -> Bool {
        var i = offset
        for scalar in text.unicodeScalars {
            guard i < s.count, s[i] == scalar else { return false }
            i += 1
        }
        return true
    }

    private func skipWhitespace(from offset: Int) -> Int {
        var i = offset
        while i < s.count && isPythonWhitespace(s[i]) { i += 1 }
        return i
    }

    /// Where a `{% raw %}` opening tag ends, or nil when the block tag at `start` is not one.
    private func rawBeginEnd(at start: Int) -> Int? {
        var i = start + 2
        if i < s.count && (s[i] == "-" || s[i] == "+") { i += 1 }
        i = skipWhitespace(from: i)
        guard matches("raw", at: i) else { return nil }
        i = skipWhitespace(from: i + 3)
        if matches("-%}", at: i) { return skipWhitespace(from: i + 3) }
        if matches("%}", at: i) { return i + 2 }
        return nil
    }

    private mutating func lexRawBody(openedAt start: Int) throws {
        var i = pos
        while i < s.count {
            if matches("{%", at: i) {
                var j = i + 2
                var sign: Unicode.Scalar?
                if j < s.count && (s[j] == "-" || s[j] == "+") { sign = s[j]; j += 1 }
                j = skipWhitespace(from: j)
                if matches("endraw", at: j) {
                    j = skipWhitespace(from: j + 6)
                    if let end = tagEnd(at: j, close: "%}", allowPlus: true) {
                        emitText(from: pos, to: i, sign: sign, lstripAllowed: true)
                        pos = end
                        lineStarting = pos > 0 && s[pos - 1] == "\n"
                        return
                    }
                }
            }
            i += 1
        }
        throw source.error(.syntax, "Missing end of raw directive", at: start)
    }

    /// The end of a closing delimiter at `offset` (`+%}`, `-%}` and following whitespace, `%}` and one newline).
    private func tagEnd(at offset: Int, close: String, allowPlus: Bool) -> Int? {
        let trims = close != "}}"
        if allowPlus && matches("+" + close, at: offset) { return offset + 3 }
        if matches("-" + close, at: offset) { return skipWhitespace(from: offset + 3) }
        if matches(close, at: offset) {
            let end = offset + 2
            return trims && end < s.count && s[end] == "\n" ? end + 1 : end
        }
        return nil
    }

    private mutating func lexComment(openedAt start: Int) throws {
        var i = pos
        while i < s.count {
            if let end = tagEnd(at: i, close: "#}", allowPlus: true) {
                pos = end
                lineStarting = s[end - 1] == "\n"
                return
            }
            i += 1
        }
        throw source.error(.syntax, "Missing end of comment tag", at: start)
    }

    private mutating func lexTag(block: Bool, openedAt start: Int) throws {
        let close = block ? "%}" : "}}"
        while true {
            pos = skipWhitespace(from: pos)
            guard pos < s.count else {
                let what = block ? "end of statement block" : "end of print statement"
                throw source.error(.syntax, "unexpected end of template, expected '\(what)'.", at: pos)
            }
            if brackets.isEmpty, let end = tagEnd(at: pos, close: close, allowPlus: block) {
                tokens.append(Token(kind: block ? .blockEnd : .variableEnd, offset: pos))
                pos = end
                lineStarting = s[end - 1] == "\n"
                return
            }
            try lexOne()
        }
    }

    private mutating func lexOne() throws {
        let c = s[pos]
        let start = pos
        if isDigit(c), let (kind, end) = try number(at: pos) {
            tokens.append(Token(kind: kind, offset: start))
            pos = end
            return
        }
        if c == "_" || c.properties.isAlphabetic {
            var i = pos + 1
            while i < s.count && (s[i] == "_" || s[i].properties.isAlphabetic || isDigit(s[i])) { i += 1 }
            tokens.append(Token(kind: .name(String(String.UnicodeScalarView(s[pos..<i]))), offset: start))
            pos = i
            return
        }
        if c == "'" || c == "\"" {
            var i = pos + 1
            while i < s.count && s[i] != c {
                if s[i] == "\\" { i += 1 }
                i += 1
            }
            guard i < s.count else { throw source.error(.syntax, "unexpected char \"\(Character(c))\"", at: start) }
            let body = Array(s[(pos + 1)..<i])
            let value = try decodeStringEscapes(body, at: start)
            tokens.append(Token(kind: .string(value), offset: start))
            pos = i + 1
            return
        }
        for two in ["//", "**", "==", "!=", ">=", "<="] where matches(two, at: pos) {
            tokens.append(Token(kind: .op(two), offset: start))
            pos += 2
            return
        }
        let singles: Set<Unicode.Scalar> = ["+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"]
        guard singles.contains(c) else { throw source.error(.syntax, "unexpected char \"\(Character(c))\"", at: start) }
        switch c {
        case "(": brackets.append((")", start))
        case "[": brackets.append(("]", start))
        case "{": brackets.append(("}", start))
        case ")", "]", "}":
            guard let open = brackets.popLast() else { throw source.error(.syntax, "unexpected '\(Character(c))'", at: start) }
            guard open.close == c else {
                throw source.error(.syntax, "unexpected '\(Character(c))', expected '\(Character(open.close))'", at: start)
            }
        default: break
        }
        tokens.append(Token(kind: .op(String(Character(c))), offset: start))
        pos += 1
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// `(\d+_)*\d+`: digits with single underscores between them; returns the digits and the end offset.
    private func digitRun(at offset: Int, allowed: (Unicode.Scalar) -> Bool) -> (String, Int)? {
        var i = offset
        var digits = ""
        guard i < s.count, allowed(s[i]) else { return nil }
        while i < s.count {
            if allowed(s[i]) {
                digits.unicodeScalars.append(s[i])
                i += 1
            } else if s[i] == "_" && i + 1 < s.count && allowed(s[i + 1]) {
                i += 1
            } else {
                break
            }
        }
        return (digits, i)
    }

    /// jinja2's float_re, then integer_re (binary, octal, hex and decimal, underscores allowed).
    private func number(at offset: Int) throws -> (Token.Kind, Int)? {
        let decimal: (Unicode.Scalar) -> Bool = { $0 >= "0" && $0 <= "9" }
        let precededByDot = offset > 0 && s[offset - 1] == "."
        if !precededByDot, let (whole, afterWhole) = digitRun(at: offset, allowed: decimal) {
            var text = whole
            var i = afterWhole
            var isFloat = false
            if i < s.count && s[i] == ".", let (fraction, afterFraction) = digitRun(at: i + 1, allowed: decimal) {
                text += "." + fraction
                i = afterFraction
                isFloat = true
            }
            if i < s.count && (s[i] == "e" || s[i] == "E") {
                var j = i + 1
                var sign = ""
                if j < s.count && (s[j] == "+" || s[j] == "-") { sign = String(Character(s[j])); j += 1 }
                if let (exponent, afterExponent) = digitRun(at: j, allowed: decimal) {
                    text += "e" + sign + exponent
                    i = afterExponent
                    isFloat = true
                }
            }
            if isFloat, let value = Double(text) { return (.float(value), i) }
        }
        if s[offset] == "0", offset + 1 < s.count {
            let prefixes: [(Unicode.Scalar, Int, (Unicode.Scalar) -> Bool)] = [
                ("b", 2, { $0 == "0" || $0 == "1" }),
                ("o", 8, { $0 >= "0" && $0 <= "7" }),
                ("x", 16, { ($0 >= "0" && $0 <= "9") || ($0 >= "a" && $0 <= "f") || ($0 >= "A" && $0 <= "F") }),
            ]
            let marker = Unicode.Scalar(s[offset + 1].value | 0x20) ?? s[offset + 1]
            for (letter, radix, allowed) in prefixes where marker == letter {
                var i = offset + 2
                if i < s.count && s[i] == "_" { i += 1 }
                if let (digits, end) = digitRun(at: i, allowed: allowed) {
                    guard let value = Int(digits, radix: radix) else { throw source.error(.syntax, "integer too large", at: offset) }
                    return (.integer(value), end)
                }
            }
            // `0(_?0)*`
            var i = offset + 1
            while i < s.count {
                if s[i] == "0" { i += 1 } else if s[i] == "_" && i + 1 < s.count && s[i + 1] == "0" { i += 2 } else { break }
            }
            return (.integer(0), i)
        }
        guard let (digits, end) = digitRun(at: offset, allowed: decimal) else { return nil }
        guard let value = Int(digits) else { throw source.error(.syntax, "integer too large", at: offset) }
        return (.integer(value), end)
    }

    /// Python's "unicode-escape" decoding, which jinja2 applies to string literals.
    private func decodeStringEscapes(_ body: [Unicode.Scalar], at offset: Int) throws -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        func hex(_ count: Int) throws -> Unicode.Scalar {
            guard i + count <= body.count else {
                throw source.error(.syntax, "truncated \\x/\\u escape in string literal", at: offset)
            }
            let digits = String(String.UnicodeScalarView(body[i..<(i + count)]))
            guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw source.error(.syntax, "invalid escape in string literal", at: offset)
            }
            i += count
            return scalar
        }
        while i < body.count {
            let c = body[i]
            guard c == "\\", i + 1 < body.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = body[i + 1]
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "x": out.append(try hex(2))
            case "u": out.append(try hex(4))
            case "U": out.append(try hex(8))
            case "0"..."7":
                var value = e.value - 48
                var taken = 1
                while taken < 3, i < body.count, body[i] >= "0", body[i] <= "7" {
                    value = value * 8 + body[i].value - 48
                    i += 1
                    taken += 1
                }
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }
}
