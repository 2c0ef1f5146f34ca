/// One of RULER's 13 synthetic tasks (NVIDIA/RULER scripts/synthetic.yaml), generated and scored as RULER does.
///
/// For every length, one binary search finds the most haystack units such that prompt tokens + tokens to generate
/// fit the length in the given tokenizer; every sample of that length then uses that size (a sample that comes
/// out longer drops units until it fits). Sample i of a length draws from a seed made of `seed + i`, the task and
/// the length. The prompt is RULER's 'base' prompt, `input + answer_prefix`; `fields["answer_prefix"]` repeats the
/// prefix so a runner applying a chat template can move it to the assistant turn, as RULER does with its model
/// templates.
public struct RULERTask: EvalTask {
    public var kind: Kind
    public var configuration: Configuration
    public var lengths: [Int]
    public var samplesPerLength: Int
    public var seed: UInt64
    /// The essay haystack (RULER: Paul Graham essays) for kinds whose configuration uses one.
    public var haystackText: String?
    /// A SQuAD v2 json (qa_1) or HotpotQA dev json (qa_2).
    public var qaDataPath: String?

    public init(kind: Kind, lengths: [Int], samplesPerLength: Int, seed: UInt64 = 42, configuration: Configuration? = nil,
                haystackText: String? = nil, qaDataPath: String? = nil) {
        self.kind = kind
        self.configuration = configuration ?? .standard(kind)
        self.lengths = lengths
        self.samplesPerLength = samplesPerLength
        self.seed = seed
        self.haystackText = haystackText
        self.qaDataPath = qaDataPath
    }

    public var name: String { "ruler/\(kind.rawValue)" }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        guard samplesPerLength >= 0 else { throw EvalTaskError("\(name): samplesPerLength must not be negative") }
        guard configuration.tokensToGenerate >= 0 else { throw EvalTaskError("\(name): tokensToGenerate must not be negative") }
        let essay = try configuration.needsHaystackText ? loadEssay() : nil
        let qa = try loadQA()
        var samples: [EvalSample] = []
        for length in lengths {
            guard length > configuration.tokensToGenerate else {
                throw EvalTaskError("\(name): length \(length) leaves no room for \(configuration.tokensToGenerate) tokens to generate")
            }
            let generator = try makeGenerator(length: length, essay: essay, qa: qa, tokenizer: tokenizer)
            samples += try makeSamples(length: length, generator: generator, tokenizer: tokenizer)
        }
        return samples
    }

    public func score(output: String, sample: EvalSample) -> EvalScores {
        let metric = sample.fields["metric"].flatMap(RULERMetric.init(rawValue:)) ?? configuration.metric
        let value = metric.score(prediction: RULERMetric.postprocess(output), references: sample.references)
        return ["score": value, metric.rawValue: value]
    }

    private func makeSamples(length: Int, generator: some RULERGenerator, tokenizer: any TokenCounting) throws -> [EvalSample] {
        let toGenerate = configuration.tokensToGenerate
        let sizing = try RULERSizing.search(
            length: length, tokensToGenerate: toGenerate, generator: generator, tokenizer: tokenizer,
            probe: RULERRandom(seed: seed, stream: "\(name)/len=\(length)/search"), task: name)
        var samples: [EvalSample] = []
        for index in 0..<samplesPerLength {
            let random = RULERRandom(seed: seed &+ UInt64(index), stream: "\(name)/len=\(length)")
            let made = try sizing.makeSample(index: index, length: length, tokensToGenerate: toGenerate,
                                             generator: generator, tokenizer: tokenizer, random: random, task: name)
            var fields = made.prompt.fields
            fields["metric"] = configuration.metric.rawValue
            fields["answer_prefix"] = made.prompt.answerPrefix
            fields["haystack_unit"] = generator.unitName
            fields["haystack_units"] = String(made.units)
            fields["searched_units"] = String(sizing.units)
            fields["prompt_tokens"] = String(made.promptTokens)
            fields["length"] = String(made.promptTokens + toGenerate)
            samples.append(EvalSample(
                id: "\(name)/len=\(length)/i=\(index)", task: name, prompt: made.prompt.text,
                references: made.prompt.answers, maxNewTokens: toGenerate, contextLength: length,
                depth: made.prompt.depth, fields: fields))
        }
        return samples
    }

    private func makeGenerator(length: Int, essay: RULEREssayHaystack?, qa: RULERQAData?,
                               tokenizer: any TokenCounting) throws -> any RULERGenerator {
        switch configuration.parameters {
        case .niah(let p):
            guard p.numKeys >= 1, p.numValues >= 1, p.numQueries >= 1 else {
                throw EvalTaskError("\(name): numKeys, numValues and numQueries must be at least 1")
            }
            guard p.haystack != .essay || max(p.numKeys, p.numQueries) * p.numValues <= RULEREssayHaystack.depths.count else {
                throw EvalTaskError("\(name): at most \(RULEREssayHaystack.depths.count) needles fit RULER's essay depths")
            }
            return RULERNeedleGenerator(parameters: p, essay: essay, length: length, seed: seed)
        case .variableTracking(let p):
            guard p.numChains >= 1, p.numHops >= 1 else { throw EvalTaskError("\(name): numChains and numHops must be at least 1") }
            guard p.haystack != .needle else { throw EvalTaskError("\(name): variable tracking has no 'needle' haystack") }
            var generator = RULERVariableTrackingGenerator(parameters: p, essay: essay, length: length, seed: seed)
            if p.fewShot {
                // RULER sizes the worked example alone to 500 tokens with nothing to generate.
                let example = RULERVariableTrackingGenerator(parameters: p, essay: essay, length: length, seed: seed, isExample: true)
                let sizing = try RULERSizing.search(
                    length: 500, tokensToGenerate: 0, generator: example, tokenizer: tokenizer,
                    probe: RULERRandom(seed: seed, stream: "\(name)/len=\(length)/example"), task: name + " (worked example)")
                generator.exampleUnits = sizing.units
            }
            return generator
        case .commonWords(let p):
            guard p.numCommon >= 1, p.freqCommon > p.freqUncommon, p.freqUncommon >= 1 else {
                throw EvalTaskError("\(name): need numCommon >= 1 and freqCommon > freqUncommon >= 1")
            }
            return RULERCommonWordsGenerator(parameters: p, length: length, seed: seed)
        case .frequentWords(let p):
            return try RULERFrequentWordsGenerator(parameters: p, length: length,
                                                   tokensToGenerate: configuration.tokensToGenerate, seed: seed, task: name)
        case .qa:
            guard let qa else { throw EvalTaskError("\(name): qaDataPath is required") }
            return RULERQAGenerator(data: qa, seed: seed)
        }
    }

    private func loadEssay() throws -> RULEREssayHaystack {
        guard let haystackText else {
            throw EvalTaskError("\(name): this task's haystack is an essay; pass haystackText (RULER uses Paul Graham's essays)")
        }
        return try RULEREssayHaystack(text: haystackText, task: name)
    }

    private func loadQA() throws -> RULERQAData? {
        guard case .qa(let p) = configuration.parameters else { return nil }
        guard let qaDataPath else {
            throw EvalTaskError("\(name): qaDataPath is required (a \(p.dataset == .squad ? "SQuAD v2" : "HotpotQA dev") json)")
        }
        return try RULERQAData(path: qaDataPath, dataset: p.dataset)
    }
}
