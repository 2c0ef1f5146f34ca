/// The body of POST /v1/chat/completions: the messages and the sampling fields.
struct ChatRequestBody: Decodable, Sendable {
    var messages: [ChatMessage]
    var sampling: SamplingFields

    enum CodingKeys: String, CodingKey { case messages }

    init(from decoder: any Decoder) throws {
        sampling = try SamplingFields(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decode([WireChatMessage].self, forKey: .messages).map(\.message)
        if messages.isEmpty {
            throw InvalidCompletionRequest("messages must contain at least one message.", param: "messages")
        }
    }
}

/// One message as clients send it: `content` is a string, a list of parts (only text parts are supported; their
/// texts are joined) or null (an assistant turn that only called tools).
private struct WireChatMessage: Decodable {
    var message: ChatMessage

    enum CodingKeys: String, CodingKey { case role, content }

    private struct Part: Decodable {
        var type: String
        var text: String?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let role = try container.decode(String.self, forKey: .role)
        let content: String
        if try container.decodeNil(forKey: .content) {
            content = ""
        } else if let text = try? container.decode(String.self, forKey: .content) {
            content = text
        } else {
            let parts = try container.decode([Part].self, forKey: .content)
            let field = RequestDecodingFailure.path(container.codingPath + [CodingKeys.content])
            content = try parts.map { part in
                guard part.type == "text", let text = part.text else {
                    throw InvalidCompletionRequest("Only text content parts are supported, got '\(part.type)'.", param: field)
                }
                return text
            }.joined()
        }
        message = ChatMessage(role: role, content: content)
    }
}
