/// One prompt to continue.
public struct GenerationRequest: Sendable, Equatable {
    public var prompt: [Int32]
    public var maxNewTokens: Int
    public var sampling: SamplingParameters
    /// Generation ends before the first of these strings (which is not part of the result).
    public var stop: [String]

    public init(prompt: [Int32], maxNewTokens: Int, sampling: SamplingParameters = .greedy, stop: [String] = []) {
        precondition(maxNewTokens >= 0, "maxNewTokens must be >= 0")
        self.prompt = prompt
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.stop = stop
    }
}

public enum FinishReason: String, Sendable, Equatable, Codable {
    /// An end-of-sequence token or a stop string.
    case stop
    /// maxNewTokens reached.
    case length
}

public struct GenerationResult: Sendable, Equatable {
    /// Generated tokens (the end-of-sequence token that ended it excluded).
    public var tokens: [Int32]
    /// Their text, cut before a stop string.
    public var text: String
    public var finishReason: FinishReason
    public var promptTokens: Int
    /// Prompt tokens whose keys and values came from an earlier prompt's cache.
    public var reusedPromptTokens: Int
}
