import Formats

/// The parts of transformers' `tokenizer_config.json` that matter here: which tokens are BOS/EOS and
/// the chat template.
public struct TokenizerConfig: Sendable {
    public var bosToken: String?
    public var eosToken: String?
    public var chatTemplate: String?

    public init(bosToken: String? = nil, eosToken: String? = nil, chatTemplate: String? = nil) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.chatTemplate = chatTemplate
    }

    init(json bytes: [UInt8], source: String) throws {
        let root = try JSONParser.parse(bytes, source: source)
        func tokenText(_ v: JSONValue?) -> String? { v?.string ?? v?["content"]?.string }
        bosToken = tokenText(root["bos_token"])
        eosToken = tokenText(root["eos_token"])
        chatTemplate = root["chat_template"]?.string
    }
}

extension TokenizerConfig {
    /// Reads a `tokenizer_config.json` file (errors name the file and byte offset).
    public static func load(path: String) throws -> TokenizerConfig {
        try TokenizerConfig(json: try readFileBytes(path), source: path)
    }
}
