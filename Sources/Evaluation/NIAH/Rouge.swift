/// ROUGE-1 as Google's `rouge_score` computes it with `use_stemmer=True`, the scorer Fu et al.'s needle test
/// uses: lower-case, every run of characters outside [a-z0-9] becomes a space, words longer than three letters are
/// Porter-stemmed, unigram counts are intersected.
enum Rouge {
    struct Score: Equatable {
        var precision: Double
        var recall: Double
        var fmeasure: Double
    }

    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { tokens.append(current.count > 3 ? PorterStemmer.stem(current) : current) }
            current = ""
        }
        for s in PythonText.lower(PythonText.scalars(text)) {
            if ("a"..."z").contains(s) || ("0"..."9").contains(s) {
                current.unicodeScalars.append(s)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    static func rouge1(target: String, prediction: String) -> Score {
        var targetCounts: [String: Int] = [:], predictionCounts: [String: Int] = [:]
        let targetTokens = tokenize(target), predictionTokens = tokenize(prediction)
        for t in targetTokens { targetCounts[t, default: 0] += 1 }
        for t in predictionTokens { predictionCounts[t, default: 0] += 1 }
        var overlap = 0
        for (token, count) in targetCounts { overlap += min(count, predictionCounts[token] ?? 0) }
        let precision = Double(overlap) / Double(max(predictionTokens.count, 1))
        let recall = Double(overlap) / Double(max(targetTokens.count, 1))
        let f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return Score(precision: precision, recall: recall, fmeasure: f)
    }
}
