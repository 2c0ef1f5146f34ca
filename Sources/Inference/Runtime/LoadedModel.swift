import Foundation
import Model
import Tensor
import Tokenization

/// A model directory ready for generation: the model on a device, its tokenizer and its chat template.
public final class LoadedModel: @unchecked Sendable {
    public let directory: String
    public let model: LlamaModel
    public let tokenizer: Tokenizer
    /// The Jinja chat template from tokenizer_config.json or chat_template.jinja, when the directory has one.
    public let chatTemplate: String?
    public let bosToken: String?
    public let eosToken: String?
    /// The context the model was trained for (max_position_embeddings before any override).
    public let trainedLength: Int
    public let ropeOverride: RoPEOverride?

    public init(directory: String, device: any Device, rope: RoPEOverride? = nil) throws {
        let loaded = try ModelDirectory.load(path: directory, device: device)
        let document = try rope.map { try $0.applied(to: loaded.config) } ?? loaded.config
        self.directory = directory
        model = try LlamaModel(config: document.config, parameters: loaded.parameters, device: device)
        tokenizer = try Tokenizer.load(path: directory)
        let configPath = directory + "/tokenizer_config.json"
        let tokenizerConfig = FileManager.default.fileExists(atPath: configPath) ? try TokenizerConfig.load(path: configPath) : nil
        let jinjaPath = directory + "/chat_template.jinja"
        if let template = tokenizerConfig?.chatTemplate {
            chatTemplate = template
        } else if FileManager.default.fileExists(atPath: jinjaPath) {
            chatTemplate = try String(contentsOfFile: jinjaPath, encoding: .utf8)
        } else {
            chatTemplate = nil
        }
        bosToken = tokenizerConfig?.bosToken
        eosToken = tokenizerConfig?.eosToken
        trainedLength = loaded.config.config.rope.scaling.originalMaxPositionEmbeddings ?? loaded.config.config.maxPositionEmbeddings
        ropeOverride = rope
    }

    /// A generator over this model (each keeps its own caches).
    public func makeGenerator() -> Generator { Generator(model: model, tokenizer: tokenizer) }

    /// The model's name for listings: the directory's last component.
    public var name: String { URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent }
}

extension LoadedModel {
    /// Token ids of a plain-text prompt as transformers' tokenizer gives them by default (add_special_tokens=True:
    /// the BOS of Llama-family tokenizers, none for SmolLM2's), unless the text already starts with the BOS token,
    /// as a rendered chat template does.
    public func promptTokens(_ text: String) -> [Int32] {
        let startsWithBOS = bosToken.map { !$0.isEmpty && text.hasPrefix($0) } ?? false
        return tokenizer.encode(text, addSpecialTokens: !startsWithBOS).map { Int32(bitPattern: $0) }
    }
}
