/// The body of POST /v1/completions: a prompt (a string or a list of strings) and the sampling fields.
struct CompletionRequestBody: Decodable, Sendable {
    var prompts: [String]
    var sampling: SamplingFields

    enum CodingKeys: String, CodingKey { case prompt }

    init(from decoder: any Decoder) throws {
        sampling = try SamplingFields(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompts = try container.decode(PromptInput.self, forKey: .prompt).prompts
    }
}

/// `prompt`: a string or a non-empty list of strings. Token-id prompts (lists of integers) are refused with a
/// message saying so: this server takes text, and the backend tokenizes it.
struct PromptInput: Decodable, Sendable {
    var prompts: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            prompts = [one]
        } else if let list = try? container.decode([String].self) {
            guard !list.isEmpty else { throw InvalidCompletionRequest("prompt must not be an empty list.", param: "prompt") }
            prompts = list
        } else if (try? container.decode([Int].self)) != nil || (try? container.decode([[Int]].self)) != nil {
            throw InvalidCompletionRequest("Prompts given as token ids are not supported by this server; send text.",
                                           param: "prompt")
        } else {
            throw DecodingError.typeMismatch(String.self, .init(
                codingPath: decoder.codingPath, debugDescription: "prompt must be a string or a list of strings"))
        }
    }
}
