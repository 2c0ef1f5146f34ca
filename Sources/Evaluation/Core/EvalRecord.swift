/// One line of a run's `samples.jsonl`: a sample's identity, what the target answered and its scores.
/// The runner appends one per finished sample (so a killed run resumes after the last complete line); reports
/// read them back.
public struct EvalRecord: Codable, Sendable, Equatable {
    public var id: String
    public var task: String
    public var contextLength: Int
    public var depth: Double?
    /// SHA-256 (hex) of the task's prompt text (before any chat template): equal hashes, equal prompts, on every target.
    public var promptHash: String
    /// Prompt length in tokens of the sizing tokenizer.
    public var promptTokens: Int
    public var output: String
    public var scores: EvalScores
    public var fields: [String: String]

    public init(id: String, task: String, contextLength: Int, depth: Double?, promptHash: String, promptTokens: Int,
                output: String, scores: EvalScores, fields: [String: String] = [:]) {
        self.id = id
        self.task = task
        self.contextLength = contextLength
        self.depth = depth
        self.promptHash = promptHash
        self.promptTokens = promptTokens
        self.output = output
        self.scores = scores
        self.fields = fields
    }
}

/// What a run was: written to `run.json` beside `samples.jsonl` and shown by reports.
public struct EvalRunInfo: Codable, Sendable, Equatable {
    /// Short label for tables and legends, e.g. "SmolLM2 + YaRN x2".
    public var label: String
    public var task: String
    /// Model directory or endpoint URL.
    public var target: String
    /// Context the model was trained for (the dashed line on heatmaps), when known.
    public var trainedLength: Int?
    public var seed: UInt64
    /// Everything else that defines the run (RoPE override, chat template on/off, task parameters...).
    public var settings: [String: String]

    public init(label: String, task: String, target: String, trainedLength: Int?, seed: UInt64, settings: [String: String]) {
        self.label = label
        self.task = task
        self.target = target
        self.trainedLength = trainedLength
        self.seed = seed
        self.settings = settings
    }
}
