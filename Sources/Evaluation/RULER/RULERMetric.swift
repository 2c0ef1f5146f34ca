/// RULER's two metrics (scripts/eval/synthetic/constants.py) and its prediction clean-up (scripts/eval/evaluate.py
/// `postprocess_pred`), per sample: RULER averages these over samples and reports them x100, rounded to 2 places.
/// Matching is Python's `r.lower() in pred.lower()`: full Unicode lowercasing (final sigma included) and a
/// substring test on code points, not on Swift Characters (so "e" is found in a decomposed "é", as in Python).
public enum RULERMetric: String, Sendable, Codable, CaseIterable {
    /// Share of the references found in the prediction (niah, vt, cwe, fwe).
    case stringMatchAll = "string_match_all"
    /// 1 when any reference is found (qa).
    case stringMatchPart = "string_match_part"

    public func score(prediction: String, references: [String]) -> Double {
        guard !references.isEmpty else { return 0 }
        let pred = Array(Self.pythonLowercased(prediction).unicodeScalars)
        let hits = references.map { Self.containsScalars(pred, Array(Self.pythonLowercased($0).unicodeScalars)) ? 1.0 : 0.0 }
        switch self {
        case .stringMatchAll: return hits.reduce(0, +) / Double(references.count)
        case .stringMatchPart: return hits.max() ?? 0
        }
    }

    /// `postprocess_pred`: strip, turn every character in \x00-\x1f into a newline, strip again.
    public static func postprocess(_ prediction: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in pythonStripped(prediction).unicodeScalars {
            scalars.append(scalar.value < 0x20 ? "\n" : scalar)
        }
        return pythonStripped(String(scalars))
    }

    /// Python's `str.strip()`: removes characters for which `str.isspace()` holds (the White_Space property plus
    /// the separators U+001C-U+001F).
    static func pythonStripped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || (0x1C...0x1F).contains(s.value) }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    /// Python's `str.lower()`: each code point's full lowercase mapping, except that capital sigma becomes final
    /// sigma (U+03C2) after a cased letter and not before one, case-ignorable characters skipped both ways.
    static func pythonLowercased(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if scalar.value == 0x03A3 {
                out.append(isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && scalars[j].properties.isCased else { return false }
        j = i + 1
        while j < scalars.count && scalars[j].properties.isCaseIgnorable { j += 1 }
        return !(j < scalars.count && scalars[j].properties.isCased)
    }

    /// Code-point substring test (Python `in`); the empty string is in every string.
    static func containsScalars(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> Bool {
        guard !pattern.isEmpty else { return true }
        guard pattern.count <= text.count else { return false }
        let first = pattern[0]
        for start in 0...(text.count - pattern.count) where text[start] == first {
            var k = 1
            while k < pattern.count && text[start + k] == pattern[k] { k += 1 }
            if k == pattern.count { return true }
        }
        return false
    }
}
