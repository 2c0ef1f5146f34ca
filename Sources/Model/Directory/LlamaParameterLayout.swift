/// The parameters a config implies, by transformers name and shape, in module order, without
/// allocating them: what a checkpoint must hold. Mirrors `LlamaParameters` (a test keeps the two equal).
enum LlamaParameterLayout {
    static func expected(_ config: LlamaConfig) -> [(name: String, shape: [Int])] {
        let d = config.hiddenSize, hd = config.headDim, i = config.intermediateSize
        let q = config.numAttentionHeads * hd, kv = config.numKeyValueHeads * hd
        let bias = config.bias
        var out: [(String, [Int])] = [("model.embed_tokens.weight", [config.vocabSize, d])]
        for l in 0..<config.numHiddenLayers {
            let p = "model.layers.\(l)."
            out.append((p + "input_layernorm.weight", [d]))
            for (name, rows, hasBias) in [("q_proj", q, bias.query), ("k_proj", kv, bias.key), ("v_proj", kv, bias.value)] {
                out.append((p + "self_attn.\(name).weight", [rows, d]))
                if hasBias { out.append((p + "self_attn.\(name).bias", [rows])) }
            }
            out.append((p + "self_attn.o_proj.weight", [d, q]))
            if bias.output { out.append((p + "self_attn.o_proj.bias", [d])) }
            out.append((p + "post_attention_layernorm.weight", [d]))
            for (name, shape, biasShape) in [("gate_proj", [i, d], i), ("up_proj", [i, d], i), ("down_proj", [d, i], d)] {
                out.append((p + "mlp.\(name).weight", shape))
                if bias.mlp { out.append((p + "mlp.\(name).bias", [biasShape])) }
            }
        }
        out.append(("model.norm.weight", [d]))
        if !config.tieWordEmbeddings { out.append(("lm_head.weight", [config.vocabSize, d])) }
        return out
    }

    /// Tensors a checkpoint may hold beyond the parameters, which transformers ignores on load:
    /// the LM head of a tied model (some writers keep it) and old rotary inverse-frequency buffers.
    static func isIgnorable(_ name: String, config: LlamaConfig) -> Bool {
        (config.tieWordEmbeddings && name == "lm_head.weight") || name.hasSuffix(".rotary_emb.inv_freq")
    }
}
