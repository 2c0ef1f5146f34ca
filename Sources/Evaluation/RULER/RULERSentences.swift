/// Sentence boundaries for essay haystacks, standing in for NLTK's `sent_tokenize` (Punkt) that RULER uses to
/// choose where needles may go. A sentence ends after `.`, `!` or `?` (and any closing quotes or brackets) when a
/// space follows and the next word starts with an uppercase letter, a digit or an opening quote/bracket; common
/// abbreviations and single-letter initials do not end sentences. The input is text whose words are separated by
/// single spaces (as RULER joins the essay's words), so joining the sentences with " " gives the text back.
enum RULERSentences {
    static func split(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var sentences: [String] = []
        var current: [Substring] = []
        for (i, word) in words.enumerated() {
            current.append(word)
            let next = i + 1 < words.count ? words[i + 1] : nil
            if let next, endsSentence(word), startsSentence(next) {
                sentences.append(current.joined(separator: " "))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { sentences.append(current.joined(separator: " ")) }
        return sentences
    }

    private static let closers: Set<Character> = ["\"", "'", ")", "]", "\u{201D}", "\u{2019}"]
    private static let openers: Set<Character> = ["\"", "'", "(", "[", "\u{201C}", "\u{2018}"]
    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "cf", "fig", "no", "approx",
        "inc", "ltd", "co", "corp", "mt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "u.s", "u.k", "a.m", "p.m",
    ]

    private static func endsSentence(_ word: Substring) -> Bool {
        var core = word[...]
        while let last = core.last, closers.contains(last) { core = core.dropLast() }
        guard let mark = core.last, mark == "." || mark == "!" || mark == "?" else { return false }
        guard mark == "." else { return true }
        var stem = core
        while stem.last == "." { stem = stem.dropLast() }
        while let first = stem.first, openers.contains(first) { stem = stem.dropFirst() }
        if stem.isEmpty { return true }  // "..." or "." standing alone
        if stem.count == 1, stem.first!.isLetter { return false }  // an initial, "J. Smith"
        return !abbreviations.contains(stem.lowercased())
    }

    private static func startsSentence(_ word: Substring) -> Bool {
        guard let first = word.first else { return false }
        return first.isUppercase || first.isNumber || openers.contains(first)
    }
}
