import Foundation

/// Frequent words extraction (scripts/data/synthetic/freq_words_extraction.py): random 6-letter "coded words"
/// whose counts follow a zeta distribution (the word of rank k appears int(n k^-alpha / zeta(alpha)) times), the
/// top-ranked one replaced by "..." as noise; the answer is ranks 2-4. Units are RULER's `num_words` (n).
struct RULERFrequentWordsGenerator: RULERGenerator {
    let parameters: RULERTask.FrequentWordsParameters
    let vocabularySize: Int
    let seed: UInt64
    let zeta: Double

    init(parameters: RULERTask.FrequentWordsParameters, length: Int, tokensToGenerate: Int, seed: UInt64, task: String) throws {
        self.parameters = parameters
        self.seed = seed
        // RULER: vocab_size = (max_seq_length - tokens_to_generate) // 50 unless given.
        vocabularySize = parameters.vocabularySize ?? (length - tokensToGenerate) / 50
        guard vocabularySize >= 4 else {
            throw EvalTaskError("\(task): a vocabulary of \(vocabularySize) coded words cannot give three answers besides "
                + "the noise word; use a longer length or set vocabularySize >= 4")
        }
        guard parameters.alpha > 1 else { throw EvalTaskError("\(task): alpha must be above 1, got \(parameters.alpha)") }
        guard parameters.codedWordLength > 0 else { throw EvalTaskError("\(task): codedWordLength must be positive") }
        zeta = Self.riemannZeta(parameters.alpha)
    }

    var unitName: String { "words (n)" }
    var incremental: Int { 10 }
    var minimumUnits: Int { 1 }

    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var seen = Set<String>()
        while seen.count < vocabularySize { seen.insert(random.string(parameters.codedWordLength, from: letters)) }
        var vocabulary = seen.sorted()
        RULERRandom.fixedShuffle(&vocabulary, seed: seed, purpose: "fwe-vocabulary")
        vocabulary[0] = "..."

        let counts = Self.counts(units: units, vocabularySize: vocabulary.count, alpha: parameters.alpha, zeta: zeta)
        var words: [String] = []
        for (word, count) in zip(vocabulary, counts) where count > 0 {
            words.append(contentsOf: repeatElement(word, count: count))
        }
        RULERRandom.fixedShuffle(&words, seed: seed, purpose: "fwe-words")
        let text = RULERTemplates.format(RULERTemplates.frequentWords + RULERTemplates.frequentWordsAnswerPrefix,
                                         ["context": words.joined(separator: " ")])
        let answers = Array(vocabulary[1..<4])
        return RULERPrompt(
            text: text,
            answerPrefix: RULERTemplates.answerPrefix(of: text, rawPrefix: RULERTemplates.frequentWordsAnswerPrefix),
            answers: answers,
            fields: ["counts": counts.prefix(5).map(String.init).joined(separator: ","), "words": String(words.count)])
    }

    /// `(num_words * k**-alpha / zeta(alpha)).astype(int)` for k = 1...vocabularySize.
    static func counts(units: Int, vocabularySize: Int, alpha: Double, zeta: Double) -> [Int] {
        (1...vocabularySize).map { k in Int(Double(units) * pow(Double(k), -alpha) / zeta) }
    }

    /// Riemann zeta for s > 1 (scipy.special.zeta with one argument), by Euler-Maclaurin summation:
    /// the first N-1 terms, the integral of the tail, and Bernoulli corrections.
    static func riemannZeta(_ s: Double) -> Double {
        let n = 20.0
        var sum = 0.0
        for k in 1..<Int(n) { sum += pow(Double(k), -s) }
        sum += pow(n, 1 - s) / (s - 1) + pow(n, -s) / 2
        // B_2j / (2j)! for j = 1...6.
        let numerators: [Double] = [1, -1, 1, -1, 1, -691]
        let denominators: [Double] = [12, 720, 30240, 1209600, 47900160, 1307674368000]
        let coefficients = zip(numerators, denominators).map { $0 / $1 }
        var rising = s  // s (s+1) ... (s+2j-2)
        for (j, c) in coefficients.enumerated() {
            let order = Double(2 * j + 1)  // 2j - 1 for j starting at 1
            sum += c * rising * pow(n, -s - order)
            rising *= (s + order) * (s + order + 1)
        }
        return sum
    }
}
