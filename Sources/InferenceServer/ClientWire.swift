import Foundation

/// Request and response bodies as the client sends and reads them. Reading is lenient (every field optional) so
/// that vLLM's, llama.cpp's and OpenAI's answers all decode; what is missing is checked where it matters.

struct ClientRequestWire: Encodable {
    var model: String
    var prompt: String?
    var messages: [ChatMessage]?
    var maxTokens: Int
    var temperature: Double
    var topP: Double
    var seed: Int64?
    var stop: [String]?
    var stream: Bool
    var streamOptions: [String: Bool]?

    init(model: String, prompt: String? = nil, messages: [ChatMessage]? = nil, parameters: CompletionParameters, stream: Bool) {
        self.model = model
        self.prompt = prompt
        self.messages = messages
        maxTokens = parameters.maxTokens
        temperature = parameters.temperature
        topP = parameters.topP
        seed = parameters.seed.map { Int64(bitPattern: $0) }
        stop = parameters.stop.isEmpty ? nil : parameters.stop
        self.stream = stream
        // Token counts arrive in a last chunk only when asked for (OpenAI, vLLM); servers that do not know the
        // option ignore it.
        streamOptions = stream ? ["include_usage": true] : nil
    }

    enum CodingKeys: String, CodingKey {
        case model, prompt, messages, temperature, seed, stop, stream
        case maxTokens = "max_tokens", topP = "top_p", streamOptions = "stream_options"
    }
}

struct ModelListReply: Decodable {
    struct Model: Decodable { var id: String }
    var data: [Model]
}

struct CompletionReply: Decodable {
    struct Message: Decodable {
        var role: String?
        var content: String?
    }

    struct Choice: Decodable {
        var index: Int?
        var text: String?
        var message: Message?
        var delta: Message?
        var finishReason: String?
        enum CodingKeys: String, CodingKey { case index, text, message, delta, finishReason = "finish_reason" }

        /// The text of a completion choice, a chat message or a chat delta.
        var content: String? { text ?? message?.content ?? delta?.content }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
    }

    var choices: [Choice]?
    var usage: Usage?
    var error: ErrorReply.Detail?
}

/// An error body: OpenAI's {"error": {"message", "type", ...}}, an older {"error": "text"} or vLLM's former
/// top-level {"message", "type"}.
struct ErrorReply: Decodable {
    struct Detail: Decodable {
        var message: String?
        var type: String?

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                message = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
        }

        enum CodingKeys: String, CodingKey { case message, type }
    }

    var error: Detail?
    var message: String?
    var type: String?

    /// The message and type in an error body, or the body's first 500 characters when it is not JSON.
    static func describe(_ body: Data) -> (message: String, type: String?) {
        if let reply = try? JSONDecoder().decode(ErrorReply.self, from: body) {
            if let message = reply.error?.message { return (message, reply.error?.type) }
            if let message = reply.message { return (message, reply.type) }
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self)
        return (text.isEmpty ? "(empty body)" : text, nil)
    }
}
