/// NLTK's `PorterStemmer()` in its default NLTK_EXTENSIONS mode, which `rouge_score` applies with
/// `use_stemmer=True`. Works on lower-case ASCII words (all ROUGE's tokenizer lets through).
enum PorterStemmer {
    private static let irregular: [String: String] = [
        "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
        "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
        "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed",
        "exceed": "exceed", "succeed": "succeed",
    ]

    static func stem(_ word: String) -> String {
        if let known = irregular[word] { return known }
        var w = Array(word.utf8)
        if w.count <= 2 { return word }
        w = step1a(w)
        w = step1b(w)
        w = step1c(w)
        w = step2(w)
        w = step3(w)
        w = step4(w)
        w = step5a(w)
        w = step5b(w)
        return String(decoding: w, as: UTF8.self)
    }

    // MARK: - Letter classes

    private static func isVowelLetter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }

    /// A 'y' is a consonant at the start or after a vowel, a vowel after a consonant.
    private static func consonantFlags(_ w: [UInt8]) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for (i, c) in w.enumerated() {
            if isVowelLetter(c) { flags.append(false) }
            else if c == UInt8(ascii: "y") { flags.append(i == 0 ? true : !flags[i - 1]) }
            else { flags.append(true) }
        }
        return flags
    }

    private static func isConsonant(_ w: [UInt8], _ i: Int) -> Bool { consonantFlags(Array(w[0...i]))[i] }

    /// m in [C](VC){m}[V].
    private static func measure(_ w: [UInt8]) -> Int {
        let flags = consonantFlags(w)
        var m = 0
        for i in 1..<max(flags.count, 1) where !flags[i - 1] && flags[i] { m += 1 }
        return m
    }

    private static func containsVowel(_ w: [UInt8]) -> Bool { consonantFlags(w).contains(false) }

    private static func endsDoubleConsonant(_ w: [UInt8]) -> Bool {
        w.count >= 2 && w[w.count - 1] == w[w.count - 2] && isConsonant(w, w.count - 1)
    }

    /// *o: consonant-vowel-consonant, the last not w, x or y; NLTK also accepts a two-letter vowel-consonant word.
    private static func endsCVC(_ w: [UInt8]) -> Bool {
        let n = w.count
        if n >= 3, isConsonant(w, n - 3), !isConsonant(w, n - 2), isConsonant(w, n - 1),
           ![UInt8(ascii: "w"), UInt8(ascii: "x"), UInt8(ascii: "y")].contains(w[n - 1]) {
            return true
        }
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1)
    }

    // MARK: - Rules

    private struct Rule {
        var suffix: [UInt8]
        var replacement: [UInt8]
        var condition: (([UInt8]) -> Bool)?
        /// The "*d" pseudo-suffix: any double consonant.
        var doubleConsonant = false

        init(_ suffix: String, _ replacement: String, _ condition: (([UInt8]) -> Bool)?) {
            self.suffix = Array(suffix.utf8)
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
    }

    private static func hasSuffix(_ w: [UInt8], _ s: [UInt8]) -> Bool { w.count >= s.count && Array(w.suffix(s.count)) == s }
    private static func hasSuffix(_ w: [UInt8], _ s: String) -> Bool { hasSuffix(w, Array(s.utf8)) }
    private static func dropSuffix(_ w: [UInt8], _ n: Int) -> [UInt8] { Array(w.prefix(w.count - n)) }

    /// The first rule whose suffix matches decides: applied when its condition holds, else the word is kept.
    private static func applyRules(_ w: [UInt8], _ rules: [Rule]) -> [UInt8] {
        for rule in rules {
            if rule.doubleConsonant {
                if endsDoubleConsonant(w) {
                    let stem = dropSuffix(w, 2)
                    return rule.condition.map { $0(stem) } ?? true ? stem + rule.replacement : w
                }
                continue
            }
            if hasSuffix(w, rule.suffix) {
                let stem = dropSuffix(w, rule.suffix.count)
                return rule.condition.map { $0(stem) } ?? true ? stem + rule.replacement : w
            }
        }
        return w
    }

    private static func positive(_ w: [UInt8]) -> Bool { measure(w) > 0 }
    private static func aboveOne(_ w: [UInt8]) -> Bool { measure(w) > 1 }

    private static func step1a(_ w: [UInt8]) -> [UInt8] {
        if hasSuffix(w, "ies") && w.count == 4 { return dropSuffix(w, 3) + Array("ie".utf8) }
        return applyRules(w, [Rule("sses", "ss", nil), Rule("ies", "i", nil), Rule("ss", "ss", nil), Rule("s", "", nil)])
    }

    private static func step1b(_ w: [UInt8]) -> [UInt8] {
        if hasSuffix(w, "ied") { return dropSuffix(w, 3) + Array((w.count == 4 ? "ie" : "i").utf8) }
        if hasSuffix(w, "eed") {
            let stem = dropSuffix(w, 3)
            return measure(stem) > 0 ? stem + Array("ee".utf8) : w
        }
        var intermediate: [UInt8]?
        for suffix in ["ed", "ing"] where hasSuffix(w, suffix) {
            let stem = dropSuffix(w, suffix.utf8.count)
            if containsVowel(stem) { intermediate = stem; break }
        }
        guard let stem = intermediate else { return w }
        let last = stem.last!
        var double = Rule("", String(decoding: [last], as: UTF8.self), { _ in
            ![UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "z")].contains(last)
        })
        double.doubleConsonant = true
        return applyRules(stem, [
            Rule("at", "ate", nil), Rule("bl", "ble", nil), Rule("iz", "ize", nil), double,
            Rule("", "e", { measure($0) == 1 && endsCVC($0) }),
        ])
    }

    private static func step1c(_ w: [UInt8]) -> [UInt8] {
        applyRules(w, [Rule("y", "i", { $0.count > 1 && isConsonant($0, $0.count - 1) })])
    }

    private static func step2(_ w: [UInt8]) -> [UInt8] {
        if hasSuffix(w, "alli") && measure(dropSuffix(w, 4)) > 0 {
            return step2(dropSuffix(w, 4) + Array("al".utf8))
        }
        let word = w
        return applyRules(w, [
            Rule("ational", "ate", positive), Rule("tional", "tion", positive), Rule("enci", "ence", positive),
            Rule("anci", "ance", positive), Rule("izer", "ize", positive), Rule("bli", "ble", positive),
            Rule("alli", "al", positive), Rule("entli", "ent", positive), Rule("eli", "e", positive),
            Rule("ousli", "ous", positive), Rule("ization", "ize", positive), Rule("ation", "ate", positive),
            Rule("ator", "ate", positive), Rule("alism", "al", positive), Rule("iveness", "ive", positive),
            Rule("fulness", "ful", positive), Rule("ousness", "ous", positive), Rule("aliti", "al", positive),
            Rule("iviti", "ive", positive), Rule("biliti", "ble", positive), Rule("fulli", "ful", positive),
            // NLTK measures "logi" words without the final three letters, not without the suffix.
            Rule("logi", "log", { _ in measure(dropSuffix(word, 3)) > 0 }),
        ])
    }

    private static func step3(_ w: [UInt8]) -> [UInt8] {
        applyRules(w, [
            Rule("icate", "ic", positive), Rule("ative", "", positive), Rule("alize", "al", positive),
            Rule("iciti", "ic", positive), Rule("ical", "ic", positive), Rule("ful", "", positive),
            Rule("ness", "", positive),
        ])
    }

    private static func step4(_ w: [UInt8]) -> [UInt8] {
        applyRules(w, [
            Rule("al", "", aboveOne), Rule("ance", "", aboveOne), Rule("ence", "", aboveOne), Rule("er", "", aboveOne),
            Rule("ic", "", aboveOne), Rule("able", "", aboveOne), Rule("ible", "", aboveOne), Rule("ant", "", aboveOne),
            Rule("ement", "", aboveOne), Rule("ment", "", aboveOne), Rule("ent", "", aboveOne),
            Rule("ion", "", { measure($0) > 1 && ($0.last == UInt8(ascii: "s") || $0.last == UInt8(ascii: "t")) }),
            Rule("ou", "", aboveOne), Rule("ism", "", aboveOne), Rule("ate", "", aboveOne), Rule("iti", "", aboveOne),
            Rule("ous", "", aboveOne), Rule("ive", "", aboveOne), Rule("ize", "", aboveOne),
        ])
    }

    private static func step5a(_ w: [UInt8]) -> [UInt8] {
        guard hasSuffix(w, "e") else { return w }
        let stem = dropSuffix(w, 1)
        let m = measure(stem)
        if m > 1 || (m == 1 && !endsCVC(stem)) { return stem }
        return w
    }

    private static func step5b(_ w: [UInt8]) -> [UInt8] {
        let word = w
        return applyRules(w, [Rule("ll", "l", { _ in measure(dropSuffix(word, 1)) > 1 })])
    }
}
