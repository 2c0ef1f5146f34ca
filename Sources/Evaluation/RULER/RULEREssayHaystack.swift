/// The essay haystack: the caller's text as a list of words (RULER: `re.sub(r'\s+', ' ', essay).split(' ')`), the
/// first `units` of them (cycling when the text is shorter), cut into sentences between which needles go.
struct RULEREssayHaystack: Sendable {
    let words: [String]

    init(text: String, task: String) throws {
        words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard !words.isEmpty else { throw EvalTaskError("\(task): the essay haystack text is empty") }
    }

    func sentences(units: Int) -> [String] {
        var picked: [String] = []
        picked.reserveCapacity(units)
        for i in 0..<units { picked.append(words[i % words.count]) }
        return RULERSentences.split(picked.joined(separator: " "))
    }

    /// RULER's needle depths: `np.round(np.linspace(0, 100, num=40))`.
    static let depths: [Int] = (0..<40).map { Int((Double($0) * 100.0 / 39.0).rounded(.toNearestOrEven)) }

    /// Puts `inserts` between sentences at depths drawn without replacement from `depths`, in order of depth, and
    /// joins everything with spaces, as niah.py and variable_tracking.py do. Returns the text and each insert's depth.
    static func insert(_ inserts: [String], into sentences: [String], random: inout RULERRandom) -> (text: String, depths: [Int]) {
        let chosen = random.sample(inserts.count, of: depths).sorted()
        let positions = [0] + chosen.map { Int(Double(sentences.count) * (Double($0) / 100.0)) } + [sentences.count]
        var parts: [String] = []
        for i in 1..<positions.count {
            parts.append(sentences[positions[i - 1]..<positions[i]].joined(separator: " "))
            if i - 1 < inserts.count { parts.append(inserts[i - 1]) }
        }
        return (parts.joined(separator: " "), chosen)
    }
}
