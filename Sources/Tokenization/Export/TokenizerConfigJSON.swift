/// tokenizer_config.json for an exported tokenizer: the special tokens by role, the chat template,
/// and `PreTrainedTokenizerFast` as the class, which loads tokenizer.json as written in
/// transformers 4 and 5 alike (a model-specific class such as LlamaTokenizerFast would rebuild the
/// post-processor from its own defaults).
enum TokenizerConfigJSON {
    static func build(_ v: GGUFVocabulary, modelMaxLength: Int?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("add_bos_token", .bool(v.addBOS)),
            ("add_eos_token", .bool(v.addEOS)),
            ("added_tokens_decoder", .object(v.addedTokens.map { t in
                (String(t.id), .object([
                    ("content", .string(t.content)), ("lstrip", .bool(false)), ("normalized", .bool(false)),
                    ("rstrip", .bool(false)), ("single_word", .bool(false)), ("special", .bool(t.special)),
                ]))
            })),
        ]
        func token(_ key: String, _ id: Int?) { members.append((key, v.token(id).map(JSONValue.string) ?? .null)) }
        token("bos_token", v.bosTokenID)
        if let template = v.chatTemplate { members.append(("chat_template", .string(template))) }
        members.append(("clean_up_tokenization_spaces", .bool(false)))
        token("eos_token", v.eosTokenID)
        if let modelMaxLength { members.append(("model_max_length", .number(Double(modelMaxLength)))) }
        // PreTrainedTokenizerFast in transformers 4 would otherwise also return token_type_ids, which
        // a causal LM's generate() refuses.
        members.append(("model_input_names", .array([.string("input_ids"), .string("attention_mask")])))
        token("pad_token", v.paddingTokenID)
        members.append(("tokenizer_class", .string("PreTrainedTokenizerFast")))
        token("unk_token", v.unknownTokenID)
        return .object(members)
    }
}
