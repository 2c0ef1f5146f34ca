/// RULER's prompt templates and answer prefixes (scripts/data/synthetic/constants.py), with the 'base' model
/// template: the prompt is `template + answer_prefix`, as prepare.py builds it. They must match RULER word for
/// word, so they live here as plain strings and are filled by `RULERTemplates.format`.
enum RULERTemplates {
    static let niah = "Some special magic {type_needle_v} are hidden within the following text. Make sure to memorize it. I will quiz you about the {type_needle_v} afterwards.\n{context}\nWhat are all the special magic {type_needle_v} for {query} mentioned in the provided text?"
    static let niahAnswerPrefix = " The special magic {type_needle_v} for {query} mentioned in the provided text are"
    static let niahNeedle = "One of the special magic {type_needle_v} for {key} is: {value}."
    static let noiseHaystack = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."

    static let variableTracking = "Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n{context}\nQuestion: Find all variables that are assigned the value {query} in the text above."
    static let variableTrackingAnswerPrefix = " Answer: According to the chain(s) of variable assignment in the text above, {num_v} variables are assigned the value {query}, they are: "

    /// RULER writes "10" literally; `{num_cw}` is filled with the configured count (10 in synthetic.yaml).
    static let commonWords = "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often.\n{context}\nQuestion: What are the {num_cw} most common words in the above list?"
    static let commonWordsAnswerPrefix = " Answer: The top {num_cw} words that appear most often in the list are:"

    static let frequentWords = "Read the following coded text and track the frequency of each coded word. Find the three most frequently appeared coded words. {context}\nQuestion: Do not provide any explanation. Please ignore the dots '....'. What are the three most frequently appeared words in the above coded text?"
    static let frequentWordsAnswerPrefix = " Answer: According to the coded text above, the three most frequently appeared words are:"

    static let qa = "Answer the question based on the given documents. Only give me the answer and do not output any other words.\n\nThe following are given documents.\n\n{context}\n\nAnswer the question based on the given documents. Only give me the answer and do not output any other words.\n\nQuestion: {query}"
    static let qaAnswerPrefix = " Answer:"
    static let qaDocument = "Document {i}:\n{document}"

    /// Python's `str.format` for the plain `{name}` fields these templates use, in one pass so that braces inside
    /// substituted text (an essay, a question) are never read as fields.
    static func format(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = values[name] else {
                preconditionFailure("RULER template field {\(name)} has no value")
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The template's last part is the answer prefix; RULER finds it again with `rfind(answer_prefix[:10])` on the
    /// raw prefix (before formatting and singular rewording) and stores it apart as `answer_prefix`.
    static func answerPrefix(of prompt: String, rawPrefix: String) -> String {
        let needle = String(rawPrefix.prefix(10))
        guard let range = lastRange(of: needle, in: prompt) else { return "" }
        return String(prompt[range.lowerBound...])
    }

    static func lastRange(of needle: String, in text: String) -> Range<String.Index>? {
        let hay = Array(text.utf8), pat = Array(needle.utf8)
        guard !pat.isEmpty, pat.count <= hay.count else { return nil }
        var start = hay.count - pat.count
        while start >= 0 {
            if hay[start] == pat[0] && hay[start..<start + pat.count].elementsEqual(pat) {
                let utf8 = text.utf8
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                return lower..<utf8.index(lower, offsetBy: pat.count)
            }
            start -= 1
        }
        return nil
    }
}
