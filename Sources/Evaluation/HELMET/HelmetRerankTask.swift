import Foundation

/// HELMET's passage re-ranking (MS MARCO) on a user-supplied jsonl: each line a `qid`, a `query` and `ctxs` (`id`,
/// `text`, optional `title`, relevance `label`), or a `qrel` list of [id, label] / object id -> label. HELMET's
/// `load_msmarco_rerank` prompt, the first N passages for the length (14/50/130/285/600/1000 at 4K...128K), the
/// ranking parsed with `parse_rankings` and scored with trec_eval's nDCG@10 (linear gain).
public struct HelmetRerankTask: EvalTask {
    static let userInstruction = "You are provided with a list of documents, each indicated by their ID. Rank each document based on their relevance to the question in descending order from most relelvant to least relevant texts. Include all documents in the rankings. Write your answer using the unique IDs, with the following format:\nRanking: ID3 > ID1 > ID2"
    static let systemTemplate = "Ranking:"
    /// HELMET's `k_values`, kept where there are at least that many passages.
    static let cutoffs = [1, 5, 10, 20, 50, 100, 200, 500, 1000]

    public var name: String { "helmet/rerank" }
    public var path: String
    public var lengths: [Int]
    public var demoPath: String?
    public var shots: Int
    /// HELMET: 200 tokens.
    public var maxNewTokens: Int
    public var maxSamples: Int?
    public var passagesPerLength: [Int: Int]?
    public var seed: UInt64

    public init(path: String, lengths: [Int], demoPath: String? = nil, shots: Int = 2, maxNewTokens: Int = 200,
                maxSamples: Int? = 100, passagesPerLength: [Int: Int]? = nil, seed: UInt64 = 42) {
        self.path = path
        self.lengths = lengths
        self.demoPath = demoPath
        self.shots = shots
        self.maxNewTokens = maxNewTokens
        self.maxSamples = maxSamples
        self.passagesPerLength = passagesPerLength
        self.seed = seed
    }

    struct Passage { var id: String; var title: String?; var text: String; var label: Int? }
    struct Query {
        var qid: String
        var query: String
        var ctxs: [Passage]
        /// Relevance judgements, in file order.
        var qrels: [(String, Int)]
    }

    static func load(_ path: String) throws -> [Query] {
        try JSONLReader.read(path).map { record in
            let ctxs = try record.objects("ctxs").enumerated().map { i, c in
                Passage(id: try record.field(c, "id", in: "ctxs[\(i)]"),
                        title: try c["title"].map { try JSONLRecord.text($0, at: "ctxs[\(i)].title", record) },
                        text: try record.field(c, "text", in: "ctxs[\(i)]"),
                        label: try c["label"].map { try label($0, at: "ctxs[\(i)].label", record) })
            }
            if ctxs.isEmpty { throw record.fail("'ctxs' is empty") }
            return Query(qid: try record.string("qid"), query: try record.string("query"), ctxs: ctxs,
                         qrels: try qrels(record, ctxs))
        }
    }

    private static func label(_ value: Any, at path: String, _ record: JSONLRecord) throws -> Int {
        let text = try JSONLRecord.text(value, at: path, record)
        guard let n = Int(text) else { throw record.fail("\(path) must be an integer, got '\(text)'") }
        return n
    }

    /// `qrel` when present, else each passage's `label` (HELMET builds its qrels from the labels).
    private static func qrels(_ record: JSONLRecord, _ ctxs: [Passage]) throws -> [(String, Int)] {
        if let list = record.object["qrel"] as? [Any] {
            return try list.enumerated().map { i, item in
                guard let pair = item as? [Any], pair.count == 2 else { throw record.fail("qrel[\(i)] must be [id, label]") }
                return (try JSONLRecord.text(pair[0], at: "qrel[\(i)][0]", record), try label(pair[1], at: "qrel[\(i)][1]", record))
            }
        }
        if let map = record.object["qrel"] as? [String: Any] {
            return try map.keys.sorted(by: HelmetSizing.pythonLess).map { ($0, try label(map[$0]!, at: "qrel.\($0)", record)) }
        }
        if record.object["qrel"] != nil { throw record.fail("'qrel' must be a list of [id, label] or an object") }
        return try ctxs.enumerated().map { i, c in
            guard let l = c.label else { throw record.fail("ctxs[\(i)] has no 'label' and the line has no 'qrel'") }
            return (c.id, l)
        }
    }

    /// `passage_template`: with the title when the first passage has one.
    static func passages(_ ctxs: ArraySlice<Passage>, withTitle: Bool) -> String {
        ctxs.map { withTitle ? "[ID: \($0.id)] Document (Title: \($0.title ?? "")): \($0.text)" : "[ID: \($0.id)] Document: \($0.text)" }
            .joined(separator: "\n\n")
    }

    /// Ids by decreasing label, ties in file order (Python's stable `sorted(..., reverse=True)`).
    static func goldRanking(_ ctxs: [Passage]) -> String {
        ctxs.enumerated().sorted { a, b in
            (a.element.label ?? 0) != (b.element.label ?? 0) ? (a.element.label ?? 0) > (b.element.label ?? 0) : a.offset < b.offset
        }.map(\.element.id).joined(separator: " > ")
    }

    static func prompt(demos: String, context: String, query: String) -> String {
        "\(userInstruction)\n\n\(demos)\(context)\n\nQuery: \(query)\n\(systemTemplate)"
    }

    public func passages(for length: Int) -> Int {
        passagesPerLength?[length] ?? HelmetSizing.count(for: length, table: HelmetSizing.rerankPassages)
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        let queries = HelmetSelection.subset(try Self.load(path), key: \.qid, limit: maxSamples, seed: seed)
        let demoPool = try demoPath.map(Self.load) ?? []
        var samples: [EvalSample] = []
        for length in lengths {
            let count = passages(for: length)
            for (index, q) in queries.enumerated() {
                let withTitle = q.ctxs[0].title != nil
                let demos = demoPath == nil ? [] : HelmetSelection.demos(
                    from: demoPool, excluding: q.qid, key: \.qid, seedKey: q.qid, shots: shots)
                let demoText = demos.map {
                    "\(Self.passages($0.ctxs[...], withTitle: withTitle))\n\nQuery: \($0.query)\nRanking: \(Self.goldRanking($0.ctxs))\n\n"
                }.joined()
                let used = Array(q.ctxs.prefix(count))
                let fitted = try HelmetSizing.truncatingContext(
                    Self.passages(used[...], withTitle: withTitle), budget: length - maxNewTokens, tokenizer: tokenizer,
                    what: "\(path): query \(q.qid) at length \(length)"
                ) { Self.prompt(demos: demoText, context: $0, query: q.query) }
                // HELMET has one file per length, so its qrels cover the passages shown: judgements of passages
                // left out here are dropped; ids of a `qrel` that are not among the passages at all are kept.
                let usedIDs = Set(used.map(\.id)), allIDs = Set(q.ctxs.map(\.id))
                let qrels = q.qrels.filter { usedIDs.contains($0.0) || !allIDs.contains($0.0) }
                samples.append(EvalSample(
                    id: "helmet/rerank/len=\(length)/\(index)", task: name, prompt: fitted.prompt,
                    references: [Self.goldRanking(used)], maxNewTokens: maxNewTokens, contextLength: length,
                    fields: [
                        "metric": "NDCG@10", "qid": q.qid, "qrels": Self.encodeQrels(qrels), "passages": String(used.count),
                        "truncated_tokens": String(fitted.truncatedTokens), "prompt_tokens": String(fitted.promptTokens),
                    ]))
            }
        }
        return samples
    }

    static func encodeQrels(_ qrels: [(String, Int)]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: qrels.map { [$0.0, $0.1] as [Any] })
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeQrels(_ text: String) -> [String: Int] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]] else { return [:] }
        var out: [String: Int] = [:]
        for pair in list where pair.count == 2 {
            if let id = pair[0] as? String, let label = (pair[1] as? NSNumber)?.intValue { out[id] = label }
        }
        return out
    }

    /// HELMET's rerank `post_process`: `parse_rankings("Ranking:" + output)`, nDCG at each cutoff no larger than
    /// the passage count, rounded to 5 decimals as `calculate_retrieval_metrics` reports them; `score` is NDCG@10.
    public func score(output: String, sample: EvalSample) -> EvalScores {
        let ranking = HelmetParsing.parseRankings(Self.systemTemplate + output)
        let qrels = Self.decodeQrels(sample.fields["qrels"] ?? "[]")
        let passages = Int(sample.fields["passages"] ?? "") ?? qrels.count
        var scores: EvalScores = ["num_preds": Double(ranking.count)]
        for k in Self.cutoffs where k <= passages || k == 10 {
            scores["NDCG@\(k)"] = (AnswerMetrics.ndcg(ranking: ranking, qrels: qrels, k: k) * 100_000).rounded() / 100_000
        }
        scores["score"] = scores["NDCG@10"]
        return scores
    }
}
