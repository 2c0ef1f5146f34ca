/// Common words extraction (scripts/data/synthetic/common_words_extraction.py): a numbered list where `numCommon`
/// words appear `freqCommon` times and the rest `freqUncommon` times, after one worked example; the answer is the
/// common words. Units are distinct words.
struct RULERCommonWordsGenerator: RULERGenerator {
    let parameters: RULERTask.CommonWordsParameters
    let length: Int
    let seed: UInt64

    var unitName: String { "distinct words" }
    var incremental: Int { 10 }
    var minimumUnits: Int { parameters.numCommon + 1 }

    /// Our word lists, sorted and shuffled once with the seed (RULER does the same with wonderwords' lists).
    private var vocabulary: [String] {
        var words = Array(Set(RULERWordList.nouns + RULERWordList.adjectives + RULERWordList.verbs)).sorted()
        RULERRandom.fixedShuffle(&words, seed: seed, purpose: "cwe-vocabulary")
        return words
    }

    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
        let p = parameters
        let vocabulary = self.vocabulary
        // RULER's repeats: below 4096 tokens a 20-word example (3/1) and 6/1 in the question; else a 40-word
        // example (10/3) and the configured frequencies.
        let short = length < 4096
        let example = list(words: 20 + (short ? 0 : 20), common: short ? 3 : 10, uncommon: short ? 1 : 3,
                           vocabulary: vocabulary, random: &random)
        let question = list(words: units, common: short ? 6 : p.freqCommon, uncommon: short ? 1 : p.freqUncommon,
                            vocabulary: vocabulary, random: &random)
        let template = RULERTemplates.commonWords + RULERTemplates.commonWordsAnswerPrefix
        let count = String(p.numCommon)
        let exampleText = RULERTemplates.format(template, ["num_cw": count, "context": example.context])
            + " " + Self.numbered(example.common)
        let text = exampleText + "\n" + RULERTemplates.format(template, ["num_cw": count, "context": question.context])
        return RULERPrompt(
            text: text,
            answerPrefix: RULERTemplates.answerPrefix(of: text, rawPrefix: RULERTemplates.commonWordsAnswerPrefix),
            answers: question.common,
            fields: ["occurrences": String(question.occurrences)])
    }

    /// `get_example`: `words` distinct words, the first `numCommon` repeated `common` times and the others
    /// `uncommon` times, shuffled with the fixed seed, numbered "1. w 2. w ...".
    private func list(words: Int, common: Int, uncommon: Int, vocabulary: [String], random: inout RULERRandom)
        -> (context: String, common: [String], occurrences: Int) {
        let picked = words <= vocabulary.count
            ? random.sample(words, of: vocabulary)
            : RULERPseudoWords.sample(words, random: &random)
        let numCommon = min(parameters.numCommon, picked.count)
        let commonWords = Array(picked[..<numCommon])
        var list: [String] = []
        for _ in 0..<common { list += commonWords }
        for _ in 0..<uncommon { list += picked[numCommon...] }
        RULERRandom.fixedShuffle(&list, seed: seed, purpose: "cwe-list")
        return (Self.numbered(list), commonWords, list.count)
    }

    static func numbered(_ words: [String]) -> String {
        words.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
    }
}

/// RULER falls back to a large English word list when a list needs more distinct words than wonderwords has; we
/// fall back to pronounceable made-up words (three consonant-vowel syllables, 343,000 of them) instead.
enum RULERPseudoWords {
    private static let consonants = Array("bdfgklmnprstvz")
    private static let vowels = Array("aeiou")
    static var count: Int { let s = consonants.count * vowels.count; return s * s * s }

    static func word(_ index: Int) -> String {
        var i = index, out = ""
        for _ in 0..<3 {
            let syllable = i % (consonants.count * vowels.count)
            i /= consonants.count * vowels.count
            out.append(consonants[syllable / vowels.count])
            out.append(vowels[syllable % vowels.count])
        }
        return out
    }

    static func sample(_ n: Int, random: inout RULERRandom) -> [String] {
        random.sample(min(n, count), from: count).map(word)
    }
}
