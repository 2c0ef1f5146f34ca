import Formats

/// Hugging Face tokenizer files (tokenizer.json + tokenizer_config.json) for the vocabulary a GGUF
/// file carries, so a model converted from GGUF tokenizes in transformers as llama.cpp tokenizes it.
/// "gpt2" (byte-level BPE) and "llama" (SentencePiece BPE) vocabularies are supported; others are
/// refused, naming the file and the kind.
public enum GGUFTokenizerExport {
    /// File name and contents, tokenizer.json first. `modelMaxLength` (the context length) goes into
    /// tokenizer_config.json when given.
    public static func files(for vocabulary: GGUFVocabulary, modelMaxLength: Int? = nil) throws -> [(name: String, text: String)] {
        let tokenizer: JSONValue
        switch vocabulary.model {
        case "gpt2": tokenizer = try ByteLevelTokenizerJSON.build(vocabulary)
        case "llama": tokenizer = try SentencePieceTokenizerJSON.build(vocabulary)
        default:
            throw TokenizerError(file: vocabulary.path, "tokenizer.ggml.model '\(vocabulary.model)' cannot be exported to tokenizer.json (gpt2 and llama can)")
        }
        return [
            ("tokenizer.json", tokenizer.jsonText()),
            ("tokenizer_config.json", TokenizerConfigJSON.build(vocabulary, modelMaxLength: modelMaxLength).jsonText()),
        ]
    }

    public static func files(forGGUF path: String, modelMaxLength: Int? = nil) throws -> [(name: String, text: String)] {
        try files(for: GGUFVocabulary(file: GGUFFile(path: path)), modelMaxLength: modelMaxLength)
    }
}
