import Formats

/// A GGUF file's `tokenizer.*` metadata: everything needed to write the equivalent Hugging Face
/// tokenizer files. Read once, checked for consistency (array lengths, ids in range), no tokenizing.
public struct GGUFVocabulary: Sendable {
    /// llama.cpp token types (`tokenizer.ggml.token_type`).
    public enum TokenType: Int, Sendable {
        case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public let path: String
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE) or "llama" (SentencePiece).
    public let model: String
    /// `tokenizer.ggml.pre`, the pre-tokenizer name of a gpt2 vocabulary ("default" when absent).
    public let preTokenizer: String
    public let tokens: [String]
    public let types: [TokenType]
    public let merges: [String]
    public let scores: [Float]?
    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let unknownTokenID: Int?
    public let paddingTokenID: Int?
    public let addBOS: Bool
    public let addEOS: Bool
    /// `tokenizer.ggml.add_space_prefix` (SentencePiece), true when absent as in llama.cpp.
    public let addSpacePrefix: Bool
    /// `tokenizer.chat_template`, the Jinja template transformers reads from tokenizer_config.json.
    public let chatTemplate: String?

    public init(file gguf: GGUFFile) throws {
        self.path = gguf.path
        let path = gguf.path
        func fail(_ message: String) -> TokenizerError { TokenizerError(file: path, message) }
        guard let model = try gguf.string("tokenizer.ggml.model") else {
            throw fail("no tokenizer.ggml.model key: this GGUF has no vocabulary")
        }
        self.model = model
        preTokenizer = try gguf.string("tokenizer.ggml.pre") ?? "default"
        let tokens = try gguf.strings("tokenizer.ggml.tokens")
        self.tokens = tokens
        if gguf.contains("tokenizer.ggml.token_type") {
            let raw = try gguf.ints("tokenizer.ggml.token_type")
            guard raw.count == tokens.count else {
                throw fail("tokenizer.ggml.token_type has \(raw.count) entries for \(tokens.count) tokens")
            }
            types = try raw.enumerated().map { id, value in
                guard let type = TokenType(rawValue: value) else { throw fail("tokenizer.ggml.token_type[\(id)] is \(value), not a llama.cpp token type (0-6)") }
                return type
            }
        } else {
            types = [TokenType](repeating: .normal, count: tokens.count)
        }
        merges = gguf.contains("tokenizer.ggml.merges") ? try gguf.strings("tokenizer.ggml.merges") : []
        if gguf.contains("tokenizer.ggml.scores") {
            let scores = try gguf.float32s("tokenizer.ggml.scores")
            guard scores.count == tokens.count else { throw fail("tokenizer.ggml.scores has \(scores.count) entries for \(tokens.count) tokens") }
            self.scores = scores
        } else {
            scores = nil
        }
        func tokenID(_ key: String) throws -> Int? {
            guard let id = try gguf.int(key) else { return nil }
            guard id >= 0 && id < tokens.count else { throw fail("\(key) is \(id), outside the \(tokens.count)-token vocabulary") }
            return id
        }
        bosTokenID = try tokenID("tokenizer.ggml.bos_token_id")
        eosTokenID = try tokenID("tokenizer.ggml.eos_token_id")
        unknownTokenID = try tokenID("tokenizer.ggml.unknown_token_id")
        paddingTokenID = try tokenID("tokenizer.ggml.padding_token_id")
        // llama.cpp's defaults: a SentencePiece vocabulary adds BOS unless told otherwise, gpt2 does not.
        addBOS = try gguf.bool("tokenizer.ggml.add_bos_token") ?? (model == "llama")
        addEOS = try gguf.bool("tokenizer.ggml.add_eos_token") ?? false
        addSpacePrefix = try gguf.bool("tokenizer.ggml.add_space_prefix") ?? true
        chatTemplate = try gguf.string("tokenizer.chat_template")
    }

    /// Tokens that transformers and llama.cpp match whole before the model sees the text:
    /// unknown and control tokens (special), user-defined tokens (not special).
    var addedTokens: [(id: Int, content: String, special: Bool)] {
        types.enumerated().compactMap { id, type in
            guard !tokens[id].isEmpty else { return nil }
            switch type {
            case .unknown, .control: return (id, tokens[id], true)
            case .userDefined: return (id, tokens[id], false)
            default: return nil
            }
        }
    }

    func token(_ id: Int?) -> String? { id.map { tokens[$0] } }
}
