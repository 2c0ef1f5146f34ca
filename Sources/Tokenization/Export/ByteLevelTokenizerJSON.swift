/// tokenizer.json for a GGUF "gpt2" vocabulary (byte-level BPE with merges: GPT-2, Llama 3, Qwen2,
/// SmolLM2…): the pre-tokenizer regexes llama.cpp applies for `tokenizer.ggml.pre`, each as an
/// isolating Split, then ByteLevel without its own regex; the vocabulary and merges as stored
/// (already in the byte-to-unicode spelling); control tokens added as special.
enum ByteLevelTokenizerJSON {
    static func build(_ v: GGUFVocabulary) throws -> JSONValue {
        guard let patterns = GGUFPreTokenizers.patterns(for: v.preTokenizer) else {
            throw TokenizerError(file: v.path, "tokenizer.ggml.pre '\(v.preTokenizer)' is not supported: no known pre-tokenizer regex to write into tokenizer.json")
        }
        try TokenizerJSONParts.checkUnique(v)
        let merges = try v.merges.enumerated().map { i, m -> (String, String) in
            guard let pair = splitMerge(m) else {
                throw TokenizerError(file: v.path, "tokenizer.ggml.merges[\(i)]: '\(m)' is not two tokens separated by one space")
            }
            return pair
        }
        let splits: [JSONValue] = patterns.map { pattern in
            .object([("type", .string("Split")), ("pattern", .object([("Regex", .string(pattern))])),
                     ("behavior", .string("Isolated")), ("invert", .bool(false))])
        }
        let byteLevel: JSONValue = .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)),
                                            ("trim_offsets", .bool(true)), ("use_regex", .bool(false))])
        let decoder: JSONValue = .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)),
                                          ("trim_offsets", .bool(true)), ("use_regex", .bool(true))])
        return TokenizerJSONParts.document(
            addedTokens: TokenizerJSONParts.addedTokens(v.addedTokens),
            normalizer: .null,
            preTokenizer: .object([("type", .string("Sequence")), ("pretokenizers", .array(splits + [byteLevel]))]),
            postProcessor: TokenizerJSONParts.template(bos: v.addBOS ? v.bos : nil, eos: v.addEOS ? v.eos : nil),
            decoder: decoder,
            // Every byte has a token, so no unknown token is needed (transformers writes none either).
            model: TokenizerJSONParts.bpeModel(unknownToken: nil, fuseUnknown: false, byteFallback: false,
                                               ignoreMerges: GGUFPreTokenizers.ignoresMerges(v.preTokenizer),
                                               vocab: v.tokens, merges: merges))
    }
}

extension GGUFVocabulary {
    var bos: (id: Int, token: String)? { bosTokenID.map { ($0, tokens[$0]) } }
    var eos: (id: Int, token: String)? { eosTokenID.map { ($0, tokens[$0]) } }
}
