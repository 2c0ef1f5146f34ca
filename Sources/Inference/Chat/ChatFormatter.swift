import ChatTemplates
import Tokenization

/// Renders conversations with a model's chat template: the directory's own (tokenizer_config.json or
/// chat_template.jinja), else the built-in template of its family, recognised from its special tokens.
public struct ChatFormatter: Sendable {
    public let template: ChatTemplate
    /// Where the template came from: "model directory" or "built-in <family>".
    public let origin: String
    let bosToken: String?
    let eosToken: String?

    public init(model: LoadedModel) throws {
        if let source = model.chatTemplate {
            template = try ChatTemplate(source: source)
            origin = "model directory"
        } else {
            let family = Self.family(of: model.tokenizer, modelType: model.model.config.family.rawValue)
            template = try ChatTemplate(source: family.source)
            origin = "built-in \(family)"
        }
        bosToken = model.bosToken ?? model.tokenizer.bosTokenID.flatMap { model.tokenizer.token(of: $0) }
        eosToken = model.eosToken ?? model.tokenizer.eosTokenID.flatMap { model.tokenizer.token(of: $0) }
    }

    /// The prompt text for `messages`, ending with the assistant's header when `addGenerationPrompt`.
    public func prompt(_ messages: [(role: String, content: String)], addGenerationPrompt: Bool = true) throws -> String {
        try template.render(messages: messages, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken, eosToken: eosToken)
    }

    /// The family whose template a model without one most likely uses.
    static func family(of tokenizer: Tokenizer, modelType: String) -> BuiltinChatTemplates.Family {
        if tokenizer.id(of: "<|start_header_id|>") != nil { return .llama3 }
        if tokenizer.id(of: "<|im_start|>") != nil { return .chatML }
        return modelType == "mistral" ? .mistral : .llama2
    }
}
