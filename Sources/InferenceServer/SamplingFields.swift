/// The request fields `/v1/completions` and `/v1/chat/completions` share, validated as vLLM validates them.
struct SamplingFields: Decodable, Sendable {
    var model: String?
    var maxTokens: Int?
    /// The chat API's newer name for `max_tokens`.
    var maxCompletionTokens: Int?
    var temperature: Double?
    var topP: Double?
    var n: Int?
    var seed: Int64?
    var stop: StopStrings?
    var stream: Bool?
    var streamOptions: StreamOptions?

    enum CodingKeys: String, CodingKey {
        case model, temperature, n, seed, stop, stream
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case streamOptions = "stream_options"
    }

    struct StreamOptions: Decodable, Sendable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var isStreaming: Bool { stream ?? false }
    var includeUsageInStream: Bool { streamOptions?.includeUsage ?? false }
    var choicesPerPrompt: Int { n ?? 1 }

    /// Checks every value and the model name; throws the 400 or 404 OpenAIError to answer.
    func validate(servedModel: String) throws {
        // vLLM serves a request without `model` with its model, and answers 404 for a name it does not serve.
        if let model, model != servedModel { throw OpenAIError.modelNotFound(model) }
        if let maxTokens, maxTokens < 1 {
            throw OpenAIError.invalidRequest("max_tokens must be at least 1, got \(maxTokens).", param: "max_tokens")
        }
        if let maxCompletionTokens, maxCompletionTokens < 1 {
            throw OpenAIError.invalidRequest("max_completion_tokens must be at least 1, got \(maxCompletionTokens).",
                                             param: "max_completion_tokens")
        }
        if let temperature, !(temperature >= 0) || !temperature.isFinite {
            throw OpenAIError.invalidRequest("temperature must be non-negative, got \(temperature).", param: "temperature")
        }
        if let topP, !(topP > 0 && topP <= 1) {
            throw OpenAIError.invalidRequest("top_p must be in (0, 1], got \(topP).", param: "top_p")
        }
        if let n, n < 1 {
            throw OpenAIError.invalidRequest("n must be at least 1, got \(n).", param: "n")
        }
        if streamOptions != nil, !isStreaming {
            throw OpenAIError.invalidRequest("Stream options can only be defined when `stream=True`.", param: "stream_options")
        }
    }

    /// The backend's parameters for choice `choice` (0..<n): with a seed, each choice gets its own so that n > 1
    /// samples differ, and the same request gives the same choices again.
    func parameters(defaultMaxTokens: Int, choice: Int) -> CompletionParameters {
        CompletionParameters(
            maxTokens: maxTokens ?? maxCompletionTokens ?? defaultMaxTokens,
            temperature: temperature ?? 1,
            topP: topP ?? 1,
            seed: seed.map { UInt64(bitPattern: $0) &+ UInt64(choice) },
            stop: (stop?.strings ?? []).filter { !$0.isEmpty }
        )
    }
}

/// `stop`: one string or a list of them.
struct StopStrings: Decodable, Sendable {
    var strings: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            strings = [one]
        } else {
            strings = try container.decode([String].self)
        }
    }
}
