import Formats

extension ConfigDocument {
    /// config.json for a GGUF model: the values transformers' GGUF loader reads from the metadata,
    /// keys sorted as transformers writes them, RoPE in the form that loads alike in transformers
    /// 4.57 and 5.x (`RoPEConfiguration.configKeys`). `dtype` is set when the weights are written.
    public init(gguf c: GGUFModelConfig, file: String) throws {
        let family: ModelFamily = c.architecture == "qwen2" ? .qwen2 : .llama
        let rope = RoPEConfiguration(base: c.ropeTheta, scaling: try GGUFRoPEScaling.scaling(of: c, file: file),
                                     headDim: c.headDim, maxPositionEmbeddings: c.maxPositionEmbeddings)
        func id(_ value: Int?) -> ConfigJSON { value.map(ConfigJSON.integer) ?? .null }
        var members: [(key: String, value: ConfigJSON)] = [
            ("architectures", .array([.string(family == .qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM")])),
            ("attention_dropout", .float(0)),
            ("bos_token_id", id(c.bosTokenId)),
            ("eos_token_id", id(c.eosTokenId)),
            ("head_dim", .integer(c.headDim)),
            ("hidden_act", .string("silu")),
            ("hidden_size", .integer(c.hiddenSize)),
            ("initializer_range", .float(0.02)),
            ("intermediate_size", .integer(c.intermediateSize)),
            ("max_position_embeddings", .integer(c.maxPositionEmbeddings)),
            ("model_type", .string(family.rawValue)),
            ("num_attention_heads", .integer(c.numAttentionHeads)),
            ("num_hidden_layers", .integer(c.numHiddenLayers)),
            ("num_key_value_heads", .integer(c.numKeyValueHeads)),
            ("pad_token_id", id(c.padTokenId)),
            ("rms_norm_eps", .float(c.rmsNormEps)),
            ("tie_word_embeddings", .bool(c.tieWordEmbeddings)),
            ("use_cache", .bool(true)),
            ("vocab_size", .integer(c.vocabSize)),
        ]
        switch family {
        case .llama:
            // Llama's one switch for q/k/v/o biases; Qwen2 has fixed q/k/v biases and no such key.
            members += [("attention_bias", .bool(c.attentionBias)), ("mlp_bias", .bool(false))]
        case .qwen2, .mistral:
            members += [("use_sliding_window", .bool(false))]
        }
        members += rope.configKeys
        members.sort { ConfigJSON.pythonOrder($0.key, $1.key) }
        try self.init(json: .object(members), file: file)
    }
}
