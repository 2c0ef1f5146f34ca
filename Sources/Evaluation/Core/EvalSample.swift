/// One prompt of a task, built the same way for every target (a local model or an endpoint), with what its scorer
/// needs. Samples are plain data: they are written to the per-sample jsonl of a run and read back on resume.
public struct EvalSample: Codable, Sendable, Equatable {
    /// Unique inside a task run and stable for a seed, e.g. "niah/len=8192/depth=50".
    public var id: String
    /// The task that made it (e.g. "niah", "ruler/niah_multikey_2", "helmet/json_kv").
    public var task: String
    /// The whole prompt as plain text, chat template not applied (the runner applies it when asked).
    public var prompt: String
    /// Gold answers; what they mean depends on the metric (any of them, all of them, a label...).
    public var references: [String]
    /// Tokens to generate (RULER: niah 128, vt 30, cwe 120, fwe 50, qa 32).
    public var maxNewTokens: Int
    /// The length bucket the prompt was sized for, in tokens of the sizing tokenizer (prompt + generation).
    public var contextLength: Int
    /// Needle depth in percent where the task has one (NIAH, passkey), for heatmaps.
    public var depth: Double?
    /// Anything else the scorer or the report needs (e.g. "metric": "string_match_all"), as strings.
    public var fields: [String: String]

    public init(id: String, task: String, prompt: String, references: [String], maxNewTokens: Int, contextLength: Int,
                depth: Double? = nil, fields: [String: String] = [:]) {
        self.id = id
        self.task = task
        self.prompt = prompt
        self.references = references
        self.maxNewTokens = maxNewTokens
        self.contextLength = contextLength
        self.depth = depth
        self.fields = fields
    }
}

/// Scores of one output: metric name -> value in [0, 1] (or the metric's own range, e.g. nDCG@10).
/// Every task names its main metric `score`, so reports can always find one.
public typealias EvalScores = [String: Double]

/// Counts and round-trips tokens to size prompts. `Tokenization.Tokenizer` conforms (Evaluation+Tokenizer.swift);
/// tests may use a simpler one.
public protocol TokenCounting: Sendable {
    func encode(_ text: String) -> [Int32]
    func decode(_ tokens: [Int32]) -> String
}

extension TokenCounting {
    public func tokenCount(_ text: String) -> Int { encode(text).count }
}

/// A task: a generator of samples and a scorer for their outputs.
public protocol EvalTask: Sendable {
    /// e.g. "niah", "ruler/vt".
    var name: String { get }
    /// Every sample of the run, deterministic for the task's seed and the tokenizer.
    func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample]
    /// Scores of one generated output (the continuation only, prompt excluded).
    func score(output: String, sample: EvalSample) -> EvalScores
}

/// A task's bad input: names the file and line (or the parameter) at fault.
public struct EvalTaskError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
