/// A request that cannot be served as asked (a prompt longer than the model's context, a parameter out of range):
/// the server answers 400 with this message instead of 500. Backends throw it from `complete` or `chatPrompt`.
public struct InvalidCompletionRequest: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The request field at fault, as OpenAI's error object names it ("max_tokens", "messages[0].content").
    public var param: String?

    public init(_ message: String, param: String? = nil) {
        self.message = message
        self.param = param
    }

    public var description: String { message }
}
