import Foundation

/// Response and stream-chunk bodies field for field as OpenAI sends them, `null`s included
/// (Swift's synthesized encoding would drop a nil instead of writing null).

struct UsageWire: Encodable, Sendable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int { promptTokens + completionTokens }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
    }
}

/// The envelope every completion body and chunk shares: id, object, created, model, choices and maybe usage.
struct CompletionEnvelope<Choice: Encodable & Sendable>: Encodable, Sendable {
    enum Usage: Sendable {
        /// Stream chunks leave usage out unless the client asked for it...
        case absent
        /// ...and then carry `"usage": null` until the last one.
        case null
        case value(UsageWire)
    }

    var id: String
    var object: String
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        switch usage {
        case .absent: break
        case .null: try container.encodeNil(forKey: .usage)
        case .value(let usage): try container.encode(usage, forKey: .usage)
        }
    }

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }
}

/// A choice of /v1/completions, whole or as a stream chunk.
struct TextChoiceWire: Encodable, Sendable {
    var text: String
    var index: Int
    var finishReason: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(index, forKey: .index)
        try container.encodeNil(forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey { case text, index, logprobs, finishReason = "finish_reason" }
}

/// A whole choice of /v1/chat/completions.
struct ChatChoiceWire: Encodable, Sendable {
    var index: Int
    var content: String
    var finishReason: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(["role": "assistant", "content": content], forKey: .message)
        try container.encodeNil(forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey { case index, message, logprobs, finishReason = "finish_reason" }
}

/// A chat stream chunk's choice: the delta is {"role": "assistant", "content": ""} first, then {"content": piece},
/// and {} in the chunk that carries the finish reason.
struct ChatDeltaChoiceWire: Encodable, Sendable {
    var index: Int
    var role: String?
    var content: String?
    var finishReason: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        var delta: [String: String] = [:]
        if let role { delta["role"] = role }
        if let content { delta["content"] = content }
        try container.encode(delta, forKey: .delta)
        try container.encodeNil(forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey { case index, delta, logprobs, finishReason = "finish_reason" }
}

struct ModelListWire: Encodable, Sendable {
    struct Model: Encodable, Sendable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "longctx"
        enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by" }
    }

    var object = "list"
    var data: [Model]
}

enum ResponseIdentity {
    /// "cmpl-" or "chatcmpl-" and 32 hex digits, as OpenAI's ids look.
    static func makeID(prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}
