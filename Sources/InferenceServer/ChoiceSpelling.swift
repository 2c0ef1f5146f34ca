/// How an endpoint spells its choices, whole in a JSON response and piece by piece in a stream: /v1/completions
/// and /v1/chat/completions differ only in these, so one handler serves both (`OpenAIRoutes.respond`).
struct ChoiceSpelling<Whole: Encodable & Sendable, Delta: Encodable & Sendable>: Sendable {
    /// The id's prefix and the `object` of a response and of a stream chunk.
    let idPrefix: String
    let object: String
    let chunkObject: String
    /// A finished choice: (index, text, finish reason).
    let whole: @Sendable (Int, String, String) -> Whole
    /// The stream's first event of a choice, if the endpoint sends one (chat announces the role).
    let opening: (@Sendable (Int) -> Delta)?
    /// A piece of text of a choice, then its last event with the finish reason.
    let piece: @Sendable (Int, String) -> Delta
    let finish: @Sendable (Int, String) -> Delta
}

extension ChoiceSpelling where Whole == TextChoiceWire, Delta == TextChoiceWire {
    static let completions = ChoiceSpelling(
        idPrefix: "cmpl-", object: "text_completion", chunkObject: "text_completion",
        whole: { TextChoiceWire(text: $1, index: $0, finishReason: $2) },
        opening: nil,
        piece: { TextChoiceWire(text: $1, index: $0, finishReason: nil) },
        finish: { TextChoiceWire(text: "", index: $0, finishReason: $1) })
}

extension ChoiceSpelling where Whole == ChatChoiceWire, Delta == ChatDeltaChoiceWire {
    static let chat = ChoiceSpelling(
        idPrefix: "chatcmpl-", object: "chat.completion", chunkObject: "chat.completion.chunk",
        whole: { ChatChoiceWire(index: $0, content: $1, finishReason: $2) },
        opening: { ChatDeltaChoiceWire(index: $0, role: "assistant", content: "") },
        piece: { ChatDeltaChoiceWire(index: $0, content: $1) },
        finish: { ChatDeltaChoiceWire(index: $0, finishReason: $1) })
}
