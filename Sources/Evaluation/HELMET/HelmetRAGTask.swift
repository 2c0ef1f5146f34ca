/// HELMET's RAG tasks (NQ, TriviaQA, HotpotQA, PopQA from KILT) on a user-supplied HELMET-format jsonl: each line
/// a `question`, its `answers` and retrieved `ctxs` (`title`, `text`). HELMET's `load_qa` prompt, the first
/// N passages for the length (20/50/105/220/440/1000 at 4K...128K), the context cut at the end if still too long,
/// SubEM on "Answer:" + output and on its parsed answer.
public struct HelmetRAGTask: EvalTask {
    static let userInstruction = "Use the given documents to write a concise and short answer to the question. Write your answer in the following format:\nAnswer: [answer]"
    static let systemTemplate = "Answer:"

    /// e.g. "helmet/rag" or "helmet/nq".
    public var name: String
    public var path: String
    public var lengths: [Int]
    /// Optional demonstrations (HELMET's `*-train-*_k3` files), same format; `shots` of them per question.
    public var demoPath: String?
    public var shots: Int
    /// HELMET: 20 tokens.
    public var maxNewTokens: Int
    /// At most this many questions, chosen as HELMET chooses them (`random.seed(seed)`, `random.sample` of the
    /// sorted ids or questions), kept in file order; nil: all.
    public var maxSamples: Int?
    /// Passages per length instead of HELMET's table.
    public var passagesPerLength: [Int: Int]?
    public var seed: UInt64

    public init(name: String = "helmet/rag", path: String, lengths: [Int], demoPath: String? = nil, shots: Int = 2,
                maxNewTokens: Int = 20, maxSamples: Int? = 100, passagesPerLength: [Int: Int]? = nil, seed: UInt64 = 42) {
        self.name = name
        self.path = path
        self.lengths = lengths
        self.demoPath = demoPath
        self.shots = shots
        self.maxNewTokens = maxNewTokens
        self.maxSamples = maxSamples
        self.passagesPerLength = passagesPerLength
        self.seed = seed
    }

    struct Passage { var title: String; var text: String }
    struct Question { var key: String; var question: String; var answers: [String]; var ctxs: [Passage] }

    static func load(_ path: String) throws -> [Question] {
        try JSONLReader.read(path).map { record in
            let question = try record.string("question")
            let answers = try record.strings("answers")
            if answers.isEmpty { throw record.fail("'answers' is empty") }
            let ctxs = try record.objects("ctxs").enumerated().map { i, c in
                Passage(title: try record.field(c, "title", in: "ctxs[\(i)]"), text: try record.field(c, "text", in: "ctxs[\(i)]"))
            }
            let key = record.object["id"].flatMap { try? JSONLRecord.text($0, at: "id", record) } ?? question
            return Question(key: key, question: question, answers: answers, ctxs: ctxs)
        }
    }

    static func passages(_ ctxs: ArraySlice<Passage>) -> String {
        ctxs.map { "Document (Title: \($0.title)): \($0.text)" }.joined(separator: "\n\n")
    }

    static func prompt(demos: String, context: String, question: String) -> String {
        "\(userInstruction)\n\n\(demos)\(context)\n\nQuestion: \(question)\n\(systemTemplate)"
    }

    /// `demo_template` for each demonstration, joined, with the trailing blank line.
    static func demoText(_ demos: [Question]) -> String {
        if demos.isEmpty { return "" }
        return demos.map { "\(passages($0.ctxs[...]))\n\nQuestion: \($0.question)\nAnswer: \($0.answers[0])" }
            .joined(separator: "\n\n") + "\n\n"
    }

    public func passages(for length: Int) -> Int {
        passagesPerLength?[length] ?? HelmetSizing.count(for: length, table: HelmetSizing.ragPassages)
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        let questions = HelmetSelection.subset(try Self.load(path), key: \.key, limit: maxSamples, seed: seed)
        let demoPool = try demoPath.map(Self.load) ?? []
        if shots > 0 && demoPath != nil && demoPool.count < shots {
            throw EvalTaskError("\(demoPath!): \(demoPool.count) demonstration(s), \(shots) shots need more")
        }
        var samples: [EvalSample] = []
        for length in lengths {
            let count = passages(for: length)
            for (index, q) in questions.enumerated() {
                let demos = demoPath == nil ? [] : HelmetSelection.demos(
                    from: demoPool, excluding: q.key, key: \.key, seedKey: q.key, shots: shots)
                let demoText = Self.demoText(demos)
                let fitted = try HelmetSizing.truncatingContext(
                    Self.passages(q.ctxs.prefix(count)), budget: length - maxNewTokens, tokenizer: tokenizer,
                    what: "\(path): question \(index + 1) at length \(length)"
                ) { Self.prompt(demos: demoText, context: $0, question: q.question) }
                samples.append(EvalSample(
                    id: "\(name)/len=\(length)/\(index)", task: name, prompt: fitted.prompt, references: q.answers,
                    maxNewTokens: maxNewTokens, contextLength: length,
                    fields: [
                        "metric": "substring_exact_match", "passages": String(min(count, q.ctxs.count)),
                        "truncated_tokens": String(fitted.truncatedTokens), "prompt_tokens": String(fitted.promptTokens),
                    ]))
            }
        }
        return samples
    }

    /// HELMET's `default_post_process` in completion mode ("Answer:" put back in front of the output).
    public func score(output: String, sample: EvalSample) -> EvalScores {
        HelmetScoring.bestOfRawAndParsed(output: Self.systemTemplate + output, prefix: "Answer:",
                                         answers: sample.references, main: "substring_exact_match")
    }
}

/// How HELMET picks test questions and demonstrations.
enum HelmetSelection {
    /// `random.seed(seed); keys = random.sample(sorted(set(keys)), limit)`, then the records with those keys in
    /// file order (a key shared by several records keeps them all, as `data.filter` does).
    static func subset<T>(_ items: [T], key: (T) -> String, limit: Int?, seed: UInt64) -> [T] {
        guard let limit else { return items }
        let keys = Array(Set(items.map(key))).sorted(by: HelmetSizing.pythonLess)
        var random = PythonRandom(seed: seed)
        let chosen = Set(random.sample(rangeOf: keys.count, count: min(limit, keys.count)).map { keys[$0] })
        return items.filter { chosen.contains(key($0)) }
    }

    /// `shots` demonstrations with distinct keys, none with the question's own key, shuffled with the question's
    /// hash seed. HELMET shuffles a `datasets.Dataset` (numpy's generator); Python's `random.shuffle` with the
    /// same seed is used here, so the draw is as deterministic but not the same one.
    static func demos<T>(from pool: [T], excluding own: String, key: (T) -> String, seedKey: String, shots: Int) -> [T] {
        guard shots > 0 else { return [] }
        var order = Array(pool.indices)
        var random = PythonRandom(seed: HelmetSizing.hashSeed(seedKey))
        random.shuffle(&order)
        var picked: [T] = [], seen = Set<String>()
        for i in order where picked.count < shots {
            let k = key(pool[i])
            guard k != own, seen.insert(k).inserted else { continue }
            picked.append(pool[i])
        }
        return picked
    }
}
