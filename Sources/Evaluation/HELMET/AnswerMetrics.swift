import Foundation

/// Answer metrics as HELMET's `utils.py` computes them (itself from DensePhrases / DrQA), on Unicode scalars so
/// that they agree with Python code point for code point. Tasks with a reference answer reuse these.
public enum AnswerMetrics {
    /// `normalize_answer`: lower-case, drop ASCII punctuation, replace the words a/an/the by a space, collapse
    /// whitespace.
    public static func normalize(_ text: String) -> String {
        PythonText.string(normalizedScalars(text))
    }

    /// `drqa_exact_match_score`: the normalised strings are equal.
    public static func exactMatch(prediction: String, answer: String) -> Bool {
        normalizedScalars(prediction) == normalizedScalars(answer)
    }

    /// `substring_exact_match_score` (SubEM): the normalised answer occurs in the normalised prediction.
    public static func substringExactMatch(prediction: String, answer: String) -> Bool {
        PythonText.contains(normalizedScalars(prediction), normalizedScalars(answer))
    }

    /// Plain case-sensitive substring test on code points (RULER's `a in prediction` after the caller's lowering).
    public static func substring(prediction: String, answer: String) -> Bool {
        PythonText.contains(PythonText.scalars(prediction), PythonText.scalars(answer))
    }

    /// `f1_score`'s F1: token overlap of the normalised strings, zero when exactly one of them is yes/no/noanswer.
    public static func f1(prediction: String, answer: String) -> Double {
        let p = normalizedScalars(prediction), g = normalizedScalars(answer)
        let special: Set<[Unicode.Scalar]> = [PythonText.scalars("yes"), PythonText.scalars("no"), PythonText.scalars("noanswer")]
        if (special.contains(p) || special.contains(g)) && p != g { return 0 }
        let pt = PythonText.split(p), gt = PythonText.split(g)
        var counts: [[Unicode.Scalar]: Int] = [:]
        for t in gt { counts[t, default: 0] += 1 }
        var same = 0
        for t in pt where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            same += 1
        }
        if same == 0 { return 0 }
        let precision = Double(same) / Double(pt.count), recall = Double(same) / Double(gt.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// `drqa_metric_max_over_ground_truths`: the best score over the gold answers (0 when there are none; HELMET
    /// would raise).
    public static func maxOver(_ answers: [String], _ metric: (String) -> Double) -> Double {
        answers.map(metric).max() ?? 0
    }

    /// `calculate_metrics` without ROUGE: exact_match, f1 and substring_exact_match, each the max over the answers.
    public static func answerScores(prediction: String, answers: [String]) -> EvalScores {
        [
            "exact_match": maxOver(answers) { exactMatch(prediction: prediction, answer: $0) ? 1 : 0 },
            "f1": maxOver(answers) { f1(prediction: prediction, answer: $0) },
            "substring_exact_match": maxOver(answers) { substringExactMatch(prediction: prediction, answer: $0) ? 1 : 0 },
        ]
    }

    /// nDCG@k as trec_eval's `ndcg_cut` computes it (pytrec_eval, which HELMET calls): linear gain equal to the
    /// relevance label, only positive labels count, discount log2(rank + 1), the ideal ranking built from every
    /// positively judged document (retrieved or not). `ranking` is best first; unjudged ids have gain 0. Without
    /// any positive judgement the value is the unnormalised DCG, which is then 0.
    public static func ndcg(ranking: [String], qrels: [String: Int], k: Int) -> Double {
        var dcg = 0.0
        for (i, id) in ranking.prefix(k).enumerated() {
            let gain = qrels[id] ?? 0
            if gain > 0 { dcg += Double(gain) / log2(Double(i + 2)) }
        }
        let ideal = qrels.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        var idcg = 0.0
        for (i, gain) in ideal.enumerated() { idcg += Double(gain) / log2(Double(i + 2)) }
        return idcg > 0 ? dcg / idcg : dcg
    }

    /// ROUGE-1 F-measure as `rouge_score` computes it with `use_stemmer=True` (the needle-in-a-haystack scorer).
    public static func rouge1(target: String, prediction: String) -> Double {
        Rouge.rouge1(target: target, prediction: prediction).fmeasure
    }

    static func normalizedScalars(_ text: String) -> [Unicode.Scalar] {
        let lowered = PythonText.lower(PythonText.scalars(text))
        let noPunctuation = lowered.filter { !isASCIIPunctuation($0) }
        let noArticles = removeArticles(noPunctuation)
        var out: [Unicode.Scalar] = []
        for (i, word) in PythonText.split(noArticles).enumerated() {
            if i > 0 { out.append(" ") }
            out.append(contentsOf: word)
        }
        return out
    }

    /// Python's `string.punctuation`.
    static func isASCIIPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    private static let articles: [[Unicode.Scalar]] = [["a"], ["a", "n"], ["t", "h", "e"]]

    /// `re.sub(r'\b(a|an|the)\b', ' ', text)`: alternatives tried in that order at each word start, word
    /// boundaries judged on the original text, non-overlapping left to right.
    static func removeArticles(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let atWordStart = i == 0 || !PythonText.isWordCharacter(s[i - 1])
            if atWordStart, let length = articleLength(s, at: i) {
                out.append(" ")
                i += length
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    private static func articleLength(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        for article in articles where i + article.count <= s.count {
            guard Array(s[i..<(i + article.count)]) == article else { continue }
            let end = i + article.count
            if end == s.count || !PythonText.isWordCharacter(s[end]) { return article.count }
        }
        return nil
    }
}
