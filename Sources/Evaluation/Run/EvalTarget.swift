/// One prompt as a target receives it. Without a chat template the model continues `text + answerPrefix`; with one,
/// `text` is the user's message and `answerPrefix` starts the assistant's reply (as RULER places its answer prefix
/// after the assistant header).
public struct EvalPrompt: Sendable, Equatable {
    public var text: String
    public var answerPrefix: String
    public var maxNewTokens: Int

    public init(text: String, answerPrefix: String = "", maxNewTokens: Int) {
        self.text = text
        self.answerPrefix = answerPrefix
        self.maxNewTokens = maxNewTokens
    }

    /// A sample's prompt split at its `fields["answer_prefix"]` when the prompt ends with it.
    public init(sample: EvalSample) {
        if let prefix = sample.fields["answer_prefix"], !prefix.isEmpty, sample.prompt.hasSuffix(prefix) {
            self.init(text: String(sample.prompt.dropLast(prefix.count)), answerPrefix: prefix, maxNewTokens: sample.maxNewTokens)
        } else {
            self.init(text: sample.prompt, maxNewTokens: sample.maxNewTokens)
        }
    }
}

/// What answers the prompts: our engine on a model directory, or any OpenAI-compatible server. With `chat` the target
/// applies the chat template (locally by rendering the model's template; an endpoint through /v1/chat/completions,
/// where the answer prefix can only end the user message).
public protocol EvalTarget: AnyObject, Sendable {
    /// Model directory or endpoint URL, for run.json.
    var description: String { get }
    /// How many prompts `generate` takes at once with benefit (a local batch, or concurrent requests).
    var batchSize: Int { get }
    /// Greedy continuations of each prompt (the continuation only).
    func generate(_ prompts: [EvalPrompt], chat: Bool) async throws -> [String]
}

/// A target that can also score text: log p(token[i+1] | tokens[...i]) for every position (perplexity tasks).
public protocol LogProbabilityTarget: AnyObject, Sendable {
    var description: String { get }
    /// `tokens.count - 1` values, natural log.
    func tokenLogProbabilities(_ tokens: [Int32]) async throws -> [Float]
}
