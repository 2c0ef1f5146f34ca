/// What the OpenAI-compatible server asks of a model: the server knows HTTP and JSON, the backend knows tokens.
/// `longctx serve` passes one backed by the Inference engine; tests pass a scripted one.
public protocol CompletionBackend: Sendable {
    /// The id `/v1/models` lists and responses echo.
    var modelID: String { get }
    /// The prompt text for a chat (the model's chat template with the generation prompt added).
    func chatPrompt(messages: [ChatMessage]) throws -> String
    /// Generates a continuation of `prompt`, calling `onText` with each new piece of text as it is decoded
    /// (pieces concatenate to the final text; stop strings already removed). Returns when done.
    func complete(prompt: String, parameters: CompletionParameters,
                  onText: @Sendable (String) async throws -> Void) async throws -> CompletionOutcome
}

public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

public struct CompletionParameters: Sendable, Equatable {
    public var maxTokens: Int
    /// 0 means greedy.
    public var temperature: Double
    public var topP: Double
    public var seed: UInt64?
    public var stop: [String]
    public init(maxTokens: Int = 16, temperature: Double = 0, topP: Double = 1, seed: UInt64? = nil, stop: [String] = []) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.stop = stop
    }
}

public struct CompletionOutcome: Sendable, Equatable {
    public var text: String
    /// "stop" (end-of-sequence token or a stop string) or "length" (max tokens reached).
    public var finishReason: String
    public var promptTokens: Int
    public var completionTokens: Int
    public init(text: String, finishReason: String, promptTokens: Int, completionTokens: Int) {
        self.text = text
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
