import Formats

/// llama.cpp's pre-tokenizer regexes by `tokenizer.ggml.pre` name (llama-vocab.cpp), applied in order.
enum GGUFPreTokenizers {
    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#
    static let llama3 = #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2 = #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let deepseekV3 = [
        #"\p{N}{1,3}"#, #"[一-龥぀-ゟ゠-ヿ]+"#,
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]

    static func patterns(for name: String) -> [String]? {
        switch name {
        case "default", "gpt2", "mpt", "olmo", "jais", "trillion": return [gpt2]
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "dbrx", "smaug-bpe": return [llama3]
        case "qwen2", "stablelm2", "hunyuan": return [qwen2]
        case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva": return [#"\p{N}"#, gpt2]
        case "deepseek-v3": return deepseekV3
        default: return nil
        }
    }

    /// Pre-tokenizers whose words are looked up whole before merging (llama.cpp's ignore_merges).
    static func ignoresMerges(_ name: String) -> Bool {
        ["llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "dbrx", "smaug-bpe"].contains(name)
    }
}

extension Tokenizer {
    /// The vocabulary in a GGUF file's `tokenizer.ggml.*` keys: "gpt2" (byte-level BPE with merges) or
    /// "llama" (SentencePiece with scores and byte tokens), as llama.cpp tokenizes them.
    public convenience init(ggufPath path: String) throws {
        let gguf = try GGUFFile(path: path)
        func fail(_ message: String) -> TokenizerError { TokenizerError(file: path, message) }
        guard let kind = try gguf.string("tokenizer.ggml.model") else { throw fail("no tokenizer.ggml.model key: this GGUF has no vocabulary") }
        let tokens = try gguf.strings("tokenizer.ggml.tokens")
        let types = gguf.contains("tokenizer.ggml.token_type") ? try gguf.ints("tokenizer.ggml.token_type")
            : [Int](repeating: 1, count: tokens.count)
        guard types.count == tokens.count else {
            throw fail("tokenizer.ggml.token_type has \(types.count) entries for \(tokens.count) tokens")
        }
        // llama.cpp token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
        var added: [AddedToken] = []
        // llama.cpp splits unknown, control and user-defined tokens out of the text first; the first two
        // only when parsing specials, which is what `special` means here.
        for (id, type) in types.enumerated() where type == 2 || type == 3 || type == 4 {
            guard !tokens[id].isEmpty else { continue }
            added.append(AddedToken(id: TokenID(id), content: tokens[id], special: type != 4))
        }
        let bos = try gguf.uint32("tokenizer.ggml.bos_token_id")
        let eos = try gguf.uint32("tokenizer.ggml.eos_token_id")
        let unknown = try gguf.uint32("tokenizer.ggml.unknown_token_id")
        let vocab = tokens.enumerated().map { ($1, TokenID($0)) }

        let model: BPEModel
        let preTokenizer: PreTokenizer
        let decoder: Decoder
        var addBOS: Bool
        switch kind {
        case "gpt2":
            let pre = try gguf.string("tokenizer.ggml.pre") ?? "default"
            guard let patterns = GGUFPreTokenizers.patterns(for: pre) else {
                throw fail("tokenizer.ggml.pre '\(pre)' is not supported")
            }
            let merges = try gguf.strings("tokenizer.ggml.merges").enumerated().map { i, m in
                guard let merge = MergeSpelling(joined: m) else { throw fail("tokenizer.ggml.merges[\(i)]: '\(m)' is not two tokens separated by one space") }
                return merge
            }
            model = try BPEModel(file: path, alphabet: .bytes, vocab: vocab, merges: merges, unknownToken: nil,
                                 fuseUnknown: false, byteFallback: false, ignoreMerges: GGUFPreTokenizers.ignoresMerges(pre))
            preTokenizer = .sequence(try patterns.map { .split(.regex(try PretokenPattern($0)), .isolated, invert: false) })
            decoder = .byteLevel
            addBOS = false
        case "llama":
            let scores = try gguf.float32s("tokenizer.ggml.scores")
            guard scores.count == tokens.count else { throw fail("tokenizer.ggml.scores has \(scores.count) entries for \(tokens.count) tokens") }
            var m = try BPEModel(file: path, alphabet: .scalars, vocab: vocab, merges: [],
                                 unknownToken: unknown.map { tokens[Int($0)] }, fuseUnknown: false,
                                 byteFallback: true, ignoreMerges: false)
            m.scored = ScoredVocabulary(scores: scores)
            model = m
            let addSpacePrefix = try gguf.bool("tokenizer.ggml.add_space_prefix") ?? true
            preTokenizer = .metaspace(replacement: Array("▁".utf8), prependScheme: addSpacePrefix ? .unconditional : .never, split: false)
            decoder = .llamaCppPieces(stripFirstSpace: addSpacePrefix)
            addBOS = true
        default:
            throw fail("tokenizer.ggml.model '\(kind)' is not supported (gpt2 and llama are)")
        }
        addBOS = try gguf.bool("tokenizer.ggml.add_bos_token") ?? addBOS
        let addEOS = try gguf.bool("tokenizer.ggml.add_eos_token") ?? false
        let post = PostProcessor.template(prefix: addBOS ? bos.map { [$0] } ?? [] : [], suffix: addEOS ? eos.map { [$0] } ?? [] : [])
        self.init(source: path, model: model, normalizer: nil, preTokenizer: preTokenizer, postProcessor: post,
                  decoder: decoder, addedTokens: added, bosTokenID: bos, eosTokenID: eos)
    }
}
