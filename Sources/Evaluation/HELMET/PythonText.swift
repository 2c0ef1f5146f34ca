/// The handful of Python `str` behaviours HELMET's and ROUGE's scorers rely on, on Unicode scalars (Python strings
/// are code-point sequences: no grapheme clusters, no canonical equivalence, unlike Swift's `String` comparisons).
enum PythonText {
    /// `str.isspace()` and the `\s` of `re` on str patterns: Unicode White_Space plus the information separators
    /// U+001C...U+001F, which Python counts as whitespace (bidi class B/S) and Unicode does not.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || (0x1C...0x1F).contains(s.value)
    }

    /// `\w` of `re` on str patterns: `str.isalnum()` or the underscore.
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    /// `\d` of `re` on str patterns: decimal digits (general category Nd) of any script.
    static func isDecimalDigit(_ s: Unicode.Scalar) -> Bool {
        s.properties.numericType == .decimal
    }

    /// `str.isdigit()`: decimal digits and other digits (superscripts, circled digits...).
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s.properties.numericType == .decimal || s.properties.numericType == .digit
    }

    /// `str.lower()`: full Unicode lower-case mapping, with Greek capital sigma becoming final sigma at the end of a
    /// word as CPython does (a cased letter before it, none after it, case-ignorable characters skipped).
    static func lower(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            if s.isASCII {
                out.append(("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s)
            } else if s.value == 0x03A3 {
                out.append(isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    private static func isFinalSigma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count, s[k].properties.isCaseIgnorable { k += 1 }
        return !(k < s.count && s[k].properties.isCased)
    }

    /// `str.strip()` with no argument.
    static func strip(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi, isSpace(s[lo]) { lo += 1 }
        while hi > lo, isSpace(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    /// `str.split()` with no argument: runs of whitespace separate, empty pieces dropped.
    static func split(_ s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var pieces: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for c in s {
            if isSpace(c) {
                if !current.isEmpty { pieces.append(current); current = [] }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// `needle in haystack` for str: a code-point substring test (the empty string is in every string).
    static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        firstIndex(of: needle, in: haystack[...]) != nil
    }

    /// Start of the first occurrence of `needle` in `haystack`, code point by code point.
    static func firstIndex(of needle: [Unicode.Scalar], in haystack: ArraySlice<Unicode.Scalar>) -> Int? {
        if needle.isEmpty { return haystack.startIndex }
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func string(_ s: some Sequence<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s)
        return String(out)
    }
}
