/// HELMET's output parsers (`utils.py`): `parse_output` for answers after a prefix, `parse_rankings` for re-ranking.
public enum HelmetParsing {
    /// `parse_output(output, prefix)`: the rest of the line after the first case-insensitive occurrence of `prefix`,
    /// else the first line; stripped, with one more leading `prefix` removed (chat models repeat it). HELMET passes
    /// the prefix to `re` unescaped; the prefixes it uses ("Answer:", "label:", ...) have no special characters, so
    /// it is matched literally here, ignoring ASCII case.
    public static func parseOutput(_ output: String, prefix: String = "Answer:") -> String {
        let text = PythonText.scalars(output), p = asciiLowered(PythonText.scalars(prefix))
        var captured: ArraySlice<Unicode.Scalar>
        if let start = firstCaseInsensitive(p, in: text[...]) {
            captured = restOfLine(text, from: start + p.count)
        } else {
            captured = restOfLine(text, from: 0)
        }
        captured = PythonText.strip(captured)
        if captured.count >= p.count, asciiLowered(Array(captured.prefix(p.count))) == p {
            captured = captured.dropFirst(p.count)
        }
        return PythonText.string(PythonText.strip(captured))
    }

    /// `parse_rankings(output)`: drops '[', ']' and ':', lower-cases, deletes every "id", takes the longest run of
    /// numbers joined by '>' and scores each distinct id by its rank from the bottom (first = highest). With no
    /// number at all, the whole cleaned output is the only "id". Returns the ids best first.
    public static func parseRankings(_ output: String) -> [String] {
        var cleaned = PythonText.scalars(output).filter { $0 != "[" && $0 != "]" && $0 != ":" }
        cleaned = removeAll(PythonText.lower(cleaned), ["i", "d"])
        guard let longest = longestRankingMatch(cleaned) else { return [PythonText.string(cleaned)] }
        var ranking: [String] = [], seen = Set<String>()
        for piece in split(longest, on: ">") {
            let number = PythonText.strip(piece[...])
            guard !number.isEmpty, number.allSatisfy(PythonText.isDigit) else { continue }
            let id = PythonText.string(number)
            if seen.insert(id).inserted { ranking.append(id) }
        }
        return ranking
    }

    // MARK: - Helpers

    /// `re.finditer(r'(\d+)(?:\s*>\s*(\d+))*', s)`, keeping the first of the longest matches.
    static func longestRankingMatch(_ s: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var best: Range<Int>?
        var i = 0
        while i < s.count {
            guard PythonText.isDecimalDigit(s[i]) else { i += 1; continue }
            var end = i
            while end < s.count, PythonText.isDecimalDigit(s[end]) { end += 1 }
            // Each repetition: optional spaces, '>', optional spaces, digits; a partial one is given back.
            while true {
                var j = end
                while j < s.count, PythonText.isSpace(s[j]) { j += 1 }
                guard j < s.count, s[j] == ">" else { break }
                j += 1
                while j < s.count, PythonText.isSpace(s[j]) { j += 1 }
                guard j < s.count, PythonText.isDecimalDigit(s[j]) else { break }
                while j < s.count, PythonText.isDecimalDigit(s[j]) { j += 1 }
                end = j
            }
            if end - i > (best?.count ?? 0) { best = i..<end }
            i = end
        }
        return best.map { Array(s[$0]) }
    }

    static func split(_ s: [Unicode.Scalar], on separator: Unicode.Scalar) -> [[Unicode.Scalar]] {
        var pieces: [[Unicode.Scalar]] = [[]]
        for c in s {
            if c == separator { pieces.append([]) } else { pieces[pieces.count - 1].append(c) }
        }
        return pieces
    }

    /// `str.replace(old, "")`: non-overlapping, left to right.
    static func removeAll(_ s: [Unicode.Scalar], _ old: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < s.count {
            if i + old.count <= s.count, Array(s[i..<(i + old.count)]) == old {
                i += old.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static func restOfLine(_ s: [Unicode.Scalar], from start: Int) -> ArraySlice<Unicode.Scalar> {
        var end = start
        while end < s.count, s[end] != "\n" { end += 1 }
        return s[start..<end]
    }

    private static func asciiLowered(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        s.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }
    }

    private static func firstCaseInsensitive(_ needle: [Unicode.Scalar], in haystack: ArraySlice<Unicode.Scalar>) -> Int? {
        PythonText.firstIndex(of: needle, in: asciiLowered(Array(haystack))[...])
    }
}
