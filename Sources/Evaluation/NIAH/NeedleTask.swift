import Foundation

/// Needle-in-a-haystack as Fu et al. (Long-Context-Data-Engineering, `eval/needle/needle_in_haystack.py`) ran it
/// on open models: a grid of context lengths x depths, the haystack repeated and trimmed to each length, the last
/// `buffer` tokens left for the prompt around it and the answer, the needle inserted at the depth after the
/// nearest earlier period, their "story book" prompt, and ROUGE-1 F of the needle against the answer as the score.
public struct NeedleTask: EvalTask {
    public static let defaultNeedle =
        "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    public static let defaultQuestion = "What is the best thing to do in San Francisco?"
    public static let defaultRetrievalAnswer = "eat a sandwich and sit in Dolores Park on a sunny day"

    public var name: String { "niah" }
    /// Context lengths in tokens; each prompt plus `maxNewTokens` stays within its length.
    public var lengths: [Int]
    /// Depths in percent, 0 (start) to 100 (end).
    public var depths: [Double]
    /// The haystack text, repeated whole as often as the longest length needs (their essays, concatenated).
    public var haystack: String
    public var needle: String
    public var question: String
    /// A short form of the answer, reported as `contains_answer` (SubEM) beside their ROUGE score.
    public var retrievalAnswer: String
    /// Their open-model runs generate 50 tokens.
    public var maxNewTokens: Int
    /// `final_context_length_buffer`: tokens taken off the length before the needle goes in (theirs: 200). Grown
    /// for a length whose prompt would otherwise not leave `maxNewTokens` free.
    public var buffer: Int

    public init(lengths: [Int], depths: [Double], haystack: String, needle: String = NeedleTask.defaultNeedle,
                question: String = NeedleTask.defaultQuestion,
                retrievalAnswer: String = NeedleTask.defaultRetrievalAnswer, maxNewTokens: Int = 50,
                buffer: Int = 200) {
        self.lengths = lengths
        self.depths = depths
        self.haystack = haystack
        self.needle = needle
        self.question = question
        self.retrievalAnswer = retrievalAnswer
        self.maxNewTokens = maxNewTokens
        self.buffer = buffer
    }

    /// Their default grid: `np.round(np.linspace(minLength, maxLength, lengthCount))` lengths (1000 to 128000 in 40
    /// steps) and `np.round(np.linspace(0, 100, depthCount))` depths (0, 11, 22, ..., 89, 100).
    public static func defaultGrid(maxLength: Int = 128_000, minLength: Int = 1000, lengthCount: Int = 40,
                                   depthCount: Int = 10) -> (lengths: [Int], depths: [Double]) {
        let lengths = linspace(Double(minLength), Double(maxLength), lengthCount).map { Int($0.rounded(.toNearestOrEven)) }
        let depths = linspace(0, 100, depthCount).map { $0.rounded(.toNearestOrEven) }
        return (lengths, depths)
    }

    /// numpy's linspace: start + i * step, the last point exactly `stop`.
    static func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? stop : start + Double($0) * step }
    }

    /// Their prompt for open models (`generate_prompt`, non-API branch), chat template not applied.
    public func prompt(context: String) -> String {
        "<|im_start|> This is a very long story book: <book> \(context) </book>.\n Based on the content of the book, Question: \(question)\nAnswer:"
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        guard let longest = lengths.max() else { return [] }
        for d in depths where !(0...100).contains(d) { throw EvalTaskError("niah: depth \(d) is outside 0...100") }
        let haystackTokens = try NeedleInsertion.repeatedHaystack(haystack, coveringTokens: longest, tokenizer: tokenizer)
        var insertion = NeedleInsertion(tokenizer: tokenizer)
        let needleTokens = tokenizer.encode(needle)
        var samples: [EvalSample] = []
        for length in lengths {
            // encode_and_trim: the first `length` tokens, as text; insert_needle encodes that text again.
            let trimmed = tokenizer.encode(tokenizer.decode(Array(haystackTokens.prefix(length))))
            for depth in depths {
                samples.append(try sample(length: length, depth: depth, needleTokens: needleTokens, trimmed: trimmed,
                                          insertion: &insertion))
            }
        }
        return samples
    }

    private func sample(length: Int, depth: Double, needleTokens: [Int32], trimmed: [Int32],
                        insertion: inout NeedleInsertion) throws -> EvalSample {
        var cut = buffer
        while true {
            let placed = insertion.insert(needleTokens: needleTokens, into: trimmed, depthPercent: depth,
                                          contextLength: length, buffer: cut)
            let text = prompt(context: placed.context)
            let tokens = insertion.tokenizer.tokenCount(text)
            let excess = tokens + maxNewTokens - length
            if excess > 0 {
                guard placed.contextTokens > 0 else {
                    throw EvalTaskError("niah: length \(length) is too short for the prompt and \(maxNewTokens) new tokens")
                }
                cut += excess
                continue
            }
            let fraction = placed.contextTokens > 0 ? 100 * Double(placed.insertionPoint) / Double(placed.contextTokens) : 0
            return EvalSample(
                id: "niah/len=\(length)/depth=\(Self.format(depth))", task: name, prompt: text,
                references: [needle, retrievalAnswer], maxNewTokens: maxNewTokens, contextLength: length, depth: depth,
                fields: [
                    "metric": "rouge1_f",
                    "context_length": String(length),
                    "depth_percent": Self.format(depth),
                    "needle_token_index": String(placed.insertionPoint),
                    "haystack_tokens": String(placed.contextTokens),
                    "actual_depth_percent": String(format: "%.2f", fraction),
                    "prompt_tokens": String(tokens),
                    "buffer": String(cut),
                ])
        }
    }

    static func format(_ depth: Double) -> String {
        depth == depth.rounded() && abs(depth) < 1e15 ? String(Int(depth)) : String(depth)
    }

    /// `score`: ROUGE-1 F (0...1) of the needle against the output, their metric (they log it x10, kept as
    /// `rouge1_x10`); `contains_answer`: SubEM of the short answer.
    public func score(output: String, sample: EvalSample) -> EvalScores {
        let target = sample.references.first ?? needle
        let rouge = Rouge.rouge1(target: target, prediction: output)
        let answer = sample.references.count > 1 ? sample.references[1] : retrievalAnswer
        return [
            "score": rouge.fmeasure,
            "rouge1_x10": rouge.fmeasure * 10,
            "rouge1_recall": rouge.recall,
            "contains_answer": AnswerMetrics.substringExactMatch(prediction: output, answer: answer) ? 1 : 0,
        ]
    }
}
