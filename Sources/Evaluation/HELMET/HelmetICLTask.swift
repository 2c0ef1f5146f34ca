/// HELMET's many-shot in-context classification (TREC, Banking77, Clinc150, NLU) on user-supplied jsonl files of
/// `text` and `label`: per test text, class-balanced demonstrations drawn with HELMET's `balance_labels` and its
/// per-text seed, labels replaced by a seeded permutation of 0..<classes, HELMET's `load_icl` prompt, and
/// accuracy (exact match of the parsed "label: N").
public struct HelmetICLTask: EvalTask {
    static let systemTemplate = "label:"

    public var name: String
    public var trainPath: String
    public var testPath: String
    public var lengths: [Int]
    /// HELMET evaluates 500 test texts, themselves class-balanced; nil: all.
    public var maxTestSamples: Int?
    /// Exact shot counts per length (HELMET's are per data set, e.g. TREC coarse 6600 at 128K), the context then
    /// cut at the end if too long, as HELMET does; nil: as many demonstrations as fill the length.
    public var shotsPerLength: [Int: Int]?
    /// HELMET: 20 tokens.
    public var maxNewTokens: Int
    /// Use the label names instead of numbers (HELMET's `natural_label` variant).
    public var naturalLabels: Bool
    public var textField: String
    public var labelField: String
    public var seed: UInt64

    public init(name: String = "helmet/icl", trainPath: String, testPath: String, lengths: [Int],
                maxTestSamples: Int? = 500, shotsPerLength: [Int: Int]? = nil, maxNewTokens: Int = 20,
                naturalLabels: Bool = false, textField: String = "text", labelField: String = "label", seed: UInt64 = 42) {
        self.name = name
        self.trainPath = trainPath
        self.testPath = testPath
        self.lengths = lengths
        self.maxTestSamples = maxTestSamples
        self.shotsPerLength = shotsPerLength
        self.maxNewTokens = maxNewTokens
        self.naturalLabels = naturalLabels
        self.textField = textField
        self.labelField = labelField
        self.seed = seed
    }

    struct Item {
        var text: String
        var label: Int
        /// Position in its file.
        var index: Int
    }

    /// Both files, with labels as class ids: integer labels as they are (classes = largest + 1, as HELMET's data
    /// sets number them), other labels numbered in code-point order of their names.
    func load() throws -> (train: [Item], test: [Item], classes: Int, names: [String]) {
        var raw: [[(String, String)]] = []
        for path in [trainPath, testPath] {
            raw.append(try JSONLReader.read(path).map { (try $0.string(textField), try $0.string(labelField)) })
        }
        let labels = Set(raw.joined().map(\.1))
        let names: [String]
        if labels.allSatisfy({ Int($0).map { $0 >= 0 } ?? false }) {
            let top = labels.compactMap { Int($0) }.max() ?? 0
            names = (0...top).map(String.init)
        } else {
            names = labels.sorted(by: HelmetSizing.pythonLess)
        }
        let ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let items = raw.map { $0.enumerated().map { Item(text: $1.0, label: ids[$1.1]!, index: $0) } }
        return (items[0], items[1], names.count, names)
    }

    /// HELMET's `balance_labels(data, shots, seed)`: rounds of one item per label (labels in order of first
    /// appearance), each label's items for the rounds drawn with `random.Random(seed).sample`, each round shuffled,
    /// the first `shots` kept.
    static func balanceLabels(_ data: [Item], shots: Int, seed: UInt64) -> [Item] {
        var random = PythonRandom(seed: seed)
        var order: [Int] = [], byLabel: [Int: [Item]] = [:]
        for x in data {
            if byLabel[x.label] == nil { order.append(x.label) }
            byLabel[x.label, default: []].append(x)
        }
        guard !order.isEmpty, shots > 0 else { return [] }
        let rounds = (shots + order.count - 1) / order.count
        var newData = [[Item]](repeating: [], count: rounds)
        for label in order {
            let samples = byLabel[label]!
            var indices = random.sample(rangeOf: samples.count, count: rounds % samples.count)
            while indices.count < rounds {
                indices += random.sample(rangeOf: samples.count, count: min(rounds - indices.count, samples.count))
            }
            for (i, idx) in indices.enumerated() { newData[i].append(samples[idx]) }
        }
        for i in newData.indices { random.shuffle(&newData[i]) }
        return Array(newData.joined().prefix(shots))
    }

    static func prompt(context: String, question: String) -> String {
        "Use the provided mapping from the text to label to assign a label to the text. Only output \"label: {label}\" and nothing else. \n\n\(context)\n\n\(question)\n\(systemTemplate)"
    }

    static func context(_ demos: ArraySlice<Item>, mapping: [String]) -> String {
        demos.map { "\($0.text)\nlabel: \(mapping[$0.label])" }.joined(separator: "\n\n")
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        let (train, allTest, classes, names) = try load()
        var test = allTest
        if let limit = maxTestSamples, test.count > limit {
            // HELMET shuffles the test set with `datasets` (numpy) first; Python's shuffle stands in for it here.
            var random = PythonRandom(seed: seed)
            random.shuffle(&test)
            test = Self.balanceLabels(test, shots: limit, seed: seed)
        }
        // Token estimates per training text, for sizing without encoding every candidate prompt.
        let itemTokens = train.map { tokenizer.tokenCount("\($0.text)\nlabel: \(classes - 1)\n\n") }
        let meanItemTokens = max(1, Double(itemTokens.reduce(0, +)) / Double(max(itemTokens.count, 1)))
        var samples: [EvalSample] = []
        for length in lengths {
            let budget = length - maxNewTokens
            for (index, item) in test.enumerated() {
                let localSeed = HelmetSizing.hashSeed(item.text, offset: seed)
                var mapping = naturalLabels ? names : (0..<classes).map(String.init)
                if !naturalLabels {
                    var random = PythonRandom(seed: localSeed)
                    random.shuffle(&mapping)
                }
                let what = "\(testPath): test text \(index + 1) at length \(length)"
                let prompt: String, tokens: Int, shots: Int, truncated: Int
                if let exact = shotsPerLength?[length] {
                    let demos = Self.balanceLabels(train, shots: exact, seed: localSeed)
                    let fitted = try HelmetSizing.truncatingContext(
                        Self.context(demos[...], mapping: mapping), budget: budget, tokenizer: tokenizer, what: what
                    ) { Self.prompt(context: $0, question: item.text) }
                    (prompt, tokens, shots, truncated) = (fitted.prompt, fitted.promptTokens, demos.count, fitted.truncatedTokens)
                } else {
                    let fixed = tokenizer.tokenCount(Self.prompt(context: "", question: item.text))
                    let estimate = Int(Double(max(budget - fixed, 0)) / meanItemTokens * 1.1) + classes
                    let demos = Self.balanceLabels(train, shots: estimate, seed: localSeed)
                    let demoTokens = demos.map { itemTokens[$0.index] }
                    let fitted = try HelmetSizing.fittingPrefix(itemTokens: demoTokens, budget: budget, tokenizer: tokenizer, what: what) {
                        Self.prompt(context: Self.context(demos.prefix($0), mapping: mapping), question: item.text)
                    }
                    (prompt, tokens, shots, truncated) = (fitted.prompt, fitted.tokens, fitted.count, 0)
                }
                samples.append(EvalSample(
                    id: "\(name)/len=\(length)/\(index)", task: name, prompt: prompt, references: [mapping[item.label]],
                    maxNewTokens: maxNewTokens, contextLength: length,
                    fields: [
                        "metric": "exact_match", "shots": String(shots), "label_name": names[item.label],
                        "truncated_tokens": String(truncated), "prompt_tokens": String(tokens),
                    ]))
            }
        }
        return samples
    }

    /// HELMET's ICL `post_process`: `parse_output("label:" + output, "label:")`, then `calculate_metrics`; `score` is
    /// exact match (accuracy).
    public func score(output: String, sample: EvalSample) -> EvalScores {
        let parsed = HelmetParsing.parseOutput(Self.systemTemplate + output, prefix: Self.systemTemplate)
        var scores = AnswerMetrics.answerScores(prediction: parsed, answers: sample.references)
        scores["score"] = scores["exact_match"] ?? 0
        return scores
    }
}
