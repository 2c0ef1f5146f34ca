/// tokenizer.json for a GGUF "llama" vocabulary (SentencePiece BPE with byte tokens: Llama 2,
/// Mistral, TinyLlama…) in the form of Llama 2's own tokenizer.json, which tokenizes as
/// sentencepiece and llama.cpp do: spaces become "▁" and one "▁" is prepended to every text segment
/// (add_space_prefix), no pre-tokenizer, BPE with byte fallback and merges recovered from the scores
/// exactly as transformers recovers them; the decoder turns "▁" back into spaces and byte tokens into
/// bytes. (transformers' own GGUF conversion uses a Metaspace pre-tokenizer instead, which skips the
/// "▁" when a text already starts with a space or follows a special token: there it departs from
/// llama.cpp, and this file does not.)
enum SentencePieceTokenizerJSON {
    static func build(_ v: GGUFVocabulary) throws -> JSONValue {
        guard let scores = v.scores else {
            throw TokenizerError(file: v.path, "tokenizer.ggml.scores is missing: a SentencePiece vocabulary needs scores to rank its merges")
        }
        try TokenizerJSONParts.checkUnique(v)
        let merges = v.merges.isEmpty
            ? SentencePieceMerges.generate(tokens: v.tokens, scores: scores)
            : try v.merges.enumerated().map { i, m -> (String, String) in
                guard let pair = splitMerge(m) else {
                    throw TokenizerError(file: v.path, "tokenizer.ggml.merges[\(i)]: '\(m)' is not two tokens separated by one space")
                }
                return pair
            }
        let metaspace = "\u{2581}"
        var normalizers: [JSONValue] = v.addSpacePrefix ? [.object([("type", .string("Prepend")), ("prepend", .string(metaspace))])] : []
        normalizers.append(.object([("type", .string("Replace")), ("pattern", .object([("String", .string(" "))])), ("content", .string(metaspace))]))
        var decoders: [JSONValue] = [
            .object([("type", .string("Replace")), ("pattern", .object([("String", .string(metaspace))])), ("content", .string(" "))]),
            .object([("type", .string("ByteFallback"))]),
            .object([("type", .string("Fuse"))]),
        ]
        if v.addSpacePrefix {
            decoders.append(.object([("type", .string("Strip")), ("content", .string(" ")), ("start", .number(1)), ("stop", .number(0))]))
        }
        return TokenizerJSONParts.document(
            addedTokens: TokenizerJSONParts.addedTokens(v.addedTokens),
            normalizer: .object([("type", .string("Sequence")), ("normalizers", .array(normalizers))]),
            preTokenizer: .null,
            postProcessor: TokenizerJSONParts.template(bos: v.addBOS ? v.bos : nil, eos: v.addEOS ? v.eos : nil),
            decoder: .object([("type", .string("Sequence")), ("decoders", .array(decoders))]),
            model: TokenizerJSONParts.bpeModel(unknownToken: v.token(v.unknownTokenID), fuseUnknown: true, byteFallback: true,
                                               ignoreMerges: false, vocab: v.tokens, merges: merges))
    }
}
