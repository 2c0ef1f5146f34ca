import Foundation

/// Perplexity of long documents at several context lengths, as the YaRN paper checks context extension
/// (jquesnelle/yarn eval/perplexity.py): each document is cut to its first L tokens and scored with windows of L
/// tokens moved by `stride` (HF's sliding-window recipe: every window scores only the tokens the previous one did
/// not; the perplexity is exp of the mean of the windows' mean losses, as that script averages them). With no
/// stride (or a document of exactly L tokens) it is one window: the perplexity of the first L tokens.
/// Perplexity by position comes from the longest length's pass: the mean loss of each bucket of `bucketSize`
/// positions, so one sees whether tokens far into the context are predicted better or worse.
public struct PerplexityTask: Sendable {
    public var documents: [String]
    public var lengths: [Int]
    /// Tokens each document is cut to before windowing; nil = each length L itself (the YaRN setting).
    public var documentTokens: Int?
    public var stride: Int?
    public var bucketSize: Int

    public init(documents: [String], lengths: [Int], documentTokens: Int? = nil, stride: Int? = nil, bucketSize: Int = 1024) {
        self.documents = documents
        self.lengths = lengths.sorted()
        self.documentTokens = documentTokens
        self.stride = stride
        self.bucketSize = bucketSize
    }

    /// Windows over `tokenCount` tokens: (start, end, scored) where the last `scored` positions of tokens[start..<end]
    /// are the targets (HF's trg_len), exactly as the sliding-window loop of the reference.
    public static func windows(tokenCount: Int, window: Int, stride: Int?) -> [(start: Int, end: Int, scored: Int)] {
        var result: [(Int, Int, Int)] = []
        var previousEnd = 0, start = 0
        let step = stride ?? window
        while start < tokenCount {
            let end = min(start + window, tokenCount)
            result.append((start, end, end - previousEnd))
            previousEnd = end
            if end == tokenCount { break }
            start += step
        }
        return result
    }

    /// Runs every (document, length) not yet recorded; appends one record per document and length (task
    /// "perplexity") and, for the longest length, one per document and position bucket ("perplexity/position").
    @discardableResult
    public func run(target: any LogProbabilityTarget, tokenizer: any TokenCounting, directory: RunDirectory,
                    info: EvalRunInfo, progress: ProgressReporter? = nil) async throws -> [EvalRecord] {
        guard let longest = lengths.last, lengths.allSatisfy({ $0 >= 2 }) else {
            throw EvalTaskError("perplexity: give lengths of at least 2 tokens")
        }
        try directory.prepare(info)
        var records = try directory.completedRecords()
        let done = Set(records.map(\.id))
        let tokenized = documents.map { tokenizer.encode($0) }
        let usable = tokenized.enumerated().filter { $0.element.count >= (documentTokens ?? longest) }
        guard !usable.isEmpty else {
            throw EvalTaskError("perplexity: no document has \(documentTokens ?? longest) tokens (longest has \(tokenized.map(\.count).max() ?? 0))")
        }
        progress?.start(total: usable.count * lengths.count, done: usable.count * lengths.count - usable.flatMap { d in
            lengths.filter { !done.contains(Self.id(document: d.offset, length: $0)) } }.count)
        for (index, tokens) in usable {
            for length in lengths where !done.contains(Self.id(document: index, length: length)) {
                let text = Array(tokens.prefix(documentTokens ?? length))
                var windowLosses: [Double] = []
                var positionLosses: [Double] = []
                for window in Self.windows(tokenCount: text.count, window: length, stride: stride) {
                    let logProbabilities = try await target.tokenLogProbabilities(Array(text[window.start..<window.end]))
                    // Targets are tokens 1..<count of the window; keep the last `scored` of them (the first token of
                    // the first window has no prediction, as in the reference where labels shift by one).
                    let losses = logProbabilities.suffix(min(window.scored, logProbabilities.count)).map { -Double($0) }
                    windowLosses.append(losses.reduce(0, +) / Double(max(1, losses.count)))
                    if window.start == 0 { positionLosses = logProbabilities.map { -Double($0) } }
                }
                let meanLoss = windowLosses.reduce(0, +) / Double(windowLosses.count)
                let record = EvalRecord(id: Self.id(document: index, length: length), task: "perplexity", contextLength: length,
                                        depth: nil, promptHash: EvalRunner.promptHash(tokenizer.decode(text)), promptTokens: text.count,
                                        output: "", scores: ["score": exp(meanLoss), "ppl": exp(meanLoss), "nll": meanLoss],
                                        fields: ["document": String(index), "windows": String(windowLosses.count)])
                try directory.append(record)
                records.append(record)
                progress?.finished(record)
                if length == longest {
                    for bucket in buckets(positionLosses, document: index, text: text, tokenizer: tokenizer) where !done.contains(bucket.id) {
                        try directory.append(bucket)
                        records.append(bucket)
                    }
                }
            }
        }
        return records
    }

    static func id(document: Int, length: Int) -> String { "perplexity/doc=\(document)/len=\(length)" }

    /// Mean loss of each bucket of positions (position p predicts token p + 1).
    private func buckets(_ losses: [Double], document: Int, text: [Int32], tokenizer: any TokenCounting) -> [EvalRecord] {
        Swift.stride(from: 0, to: losses.count, by: bucketSize).map { start in
            let part = losses[start..<min(losses.count, start + bucketSize)]
            let mean = part.reduce(0, +) / Double(part.count)
            let end = start + part.count
            return EvalRecord(id: "perplexity/position/doc=\(document)/bucket=\(start)", task: "perplexity/position",
                              contextLength: end, depth: nil, promptHash: EvalRunner.promptHash(tokenizer.decode(text)),
                              promptTokens: text.count, output: "", scores: ["score": exp(mean), "ppl": exp(mean), "nll": mean],
                              fields: ["document": String(document), "positions": "\(start)..<\(end)"])
        }
    }
}
