/// Pieces of an HF tokenizer.json shared by the byte-level and SentencePiece exports, spelled as
/// `tokenizers` serializes them (so the file reads back the same in tokenizers 0.22 and 0.23).
enum TokenizerJSONParts {
    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }

    /// The file's top level, in the order `tokenizers` writes it.
    static func document(addedTokens: JSONValue, normalizer: JSONValue, preTokenizer: JSONValue,
                         postProcessor: JSONValue, decoder: JSONValue, model: JSONValue) -> JSONValue {
        .object([
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null),
            ("added_tokens", addedTokens), ("normalizer", normalizer), ("pre_tokenizer", preTokenizer),
            ("post_processor", postProcessor), ("decoder", decoder), ("model", model),
        ])
    }

    /// Added tokens are matched whole and never normalized, as transformers adds GGUF control tokens.
    static func addedTokens(_ tokens: [(id: Int, content: String, special: Bool)]) -> JSONValue {
        .array(tokens.map { t in
            .object([
                ("id", int(t.id)), ("content", .string(t.content)), ("single_word", .bool(false)),
                ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)),
                ("special", .bool(t.special)),
            ])
        })
    }

    /// TemplateProcessing that adds BOS and/or EOS around each sequence, as llama.cpp's
    /// add_bos_token / add_eos_token say (LlamaTokenizerFast's template for pairs).
    static func template(bos: (id: Int, token: String)?, eos: (id: Int, token: String)?) -> JSONValue {
        func special(_ token: String, _ typeID: Int) -> JSONValue {
            .object([("SpecialToken", .object([("id", .string(token)), ("type_id", int(typeID))]))])
        }
        func sequence(_ name: String, _ typeID: Int) -> JSONValue {
            .object([("Sequence", .object([("id", .string(name)), ("type_id", int(typeID))]))])
        }
        func around(_ name: String, _ typeID: Int) -> [JSONValue] {
            (bos.map { [special($0.token, typeID)] } ?? []) + [sequence(name, typeID)] + (eos.map { [special($0.token, typeID)] } ?? [])
        }
        var specials: [(key: String, value: JSONValue)] = []
        for t in [bos, eos].compactMap({ $0 }) where !specials.contains(where: { $0.key == t.token }) {
            specials.append((t.token, .object([("id", .string(t.token)), ("ids", .array([int(t.id)])), ("tokens", .array([.string(t.token)]))])))
        }
        return .object([
            ("type", .string("TemplateProcessing")),
            ("single", .array(around("A", 0))),
            ("pair", .array(around("A", 0) + around("B", 1))),
            ("special_tokens", .object(specials)),
        ])
    }

    /// A BPE model; merges as [left, right] pairs, the form that allows spaces inside tokens.
    static func bpeModel(unknownToken: String?, fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool,
                         vocab: [String], merges: [(String, String)]) -> JSONValue {
        .object([
            ("type", .string("BPE")), ("dropout", .null),
            ("unk_token", unknownToken.map(JSONValue.string) ?? .null),
            ("continuing_subword_prefix", .null), ("end_of_word_suffix", .null),
            ("fuse_unk", .bool(fuseUnknown)), ("byte_fallback", .bool(byteFallback)), ("ignore_merges", .bool(ignoreMerges)),
            ("vocab", .object(vocab.enumerated().map { ($1, int($0)) })),
            ("merges", .array(merges.map { .array([.string($0.0), .string($0.1)]) })),
        ])
    }

    /// A tokenizer.json vocabulary maps each string to one id: refuse a GGUF that repeats a token.
    static func checkUnique(_ vocabulary: GGUFVocabulary) throws {
        var first: [String: Int] = [:]
        for (id, token) in vocabulary.tokens.enumerated() {
            if let earlier = first.updateValue(id, forKey: token) {
                throw TokenizerError(file: vocabulary.path, "tokens \(earlier) and \(id) are both '\(token)': a tokenizer.json vocabulary cannot hold a string twice")
            }
        }
    }
}
