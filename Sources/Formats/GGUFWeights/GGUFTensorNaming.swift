/// llama.cpp's tensor names for Llama-family models and their Hugging Face counterparts
/// (gguf-py `constants.py` TENSOR_NAMES ↔ transformers' LlamaForCausalLM / Qwen2ForCausalLM).
public enum GGUFTensorNaming {
    /// The part of a transformer block a name refers to, in HF module order.
    public enum BlockPart: String, CaseIterable, Sendable {
        case attentionNorm = "attn_norm.weight"
        case queryWeight = "attn_q.weight"
        case queryBias = "attn_q.bias"
        case keyWeight = "attn_k.weight"
        case keyBias = "attn_k.bias"
        case valueWeight = "attn_v.weight"
        case valueBias = "attn_v.bias"
        case outputWeight = "attn_output.weight"
        case outputBias = "attn_output.bias"
        case ffnNorm = "ffn_norm.weight"
        case gate = "ffn_gate.weight"
        case up = "ffn_up.weight"
        case down = "ffn_down.weight"

        public var hfSuffix: String {
            switch self {
            case .attentionNorm: "input_layernorm.weight"
            case .queryWeight: "self_attn.q_proj.weight"
            case .queryBias: "self_attn.q_proj.bias"
            case .keyWeight: "self_attn.k_proj.weight"
            case .keyBias: "self_attn.k_proj.bias"
            case .valueWeight: "self_attn.v_proj.weight"
            case .valueBias: "self_attn.v_proj.bias"
            case .outputWeight: "self_attn.o_proj.weight"
            case .outputBias: "self_attn.o_proj.bias"
            case .ffnNorm: "post_attention_layernorm.weight"
            case .gate: "mlp.gate_proj.weight"
            case .up: "mlp.up_proj.weight"
            case .down: "mlp.down_proj.weight"
            }
        }

        /// Every block has these; biases are optional (but then in every block).
        public var isRequired: Bool {
            switch self {
            case .queryBias, .keyBias, .valueBias, .outputBias: false
            default: true
            }
        }
    }

    /// Where a GGUF tensor belongs.
    public enum Role: Hashable, Sendable {
        case tokenEmbedding
        case finalNorm
        case lmHead
        case block(layer: Int, part: BlockPart)
        /// llama3 rope frequency factors: configuration, not a parameter.
        case ropeFrequencies
    }

    public static func role(of ggufName: String) -> Role? {
        switch ggufName {
        case "token_embd.weight": return .tokenEmbedding
        case "output_norm.weight": return .finalNorm
        case "output.weight": return .lmHead
        case "rope_freqs.weight": return .ropeFrequencies
        default: break
        }
        guard ggufName.hasPrefix("blk.") else { return nil }
        let rest = ggufName.dropFirst(4)
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]), layer >= 0,
              String(layer) == rest[..<dot],  // no "+1" or "01"
              let part = BlockPart(rawValue: String(rest[rest.index(after: dot)...]))
        else { return nil }
        return .block(layer: layer, part: part)
    }

    /// The HF parameter name, or nil for tensors that are not parameters.
    public static func hfName(of role: Role) -> String? {
        switch role {
        case .tokenEmbedding: "model.embed_tokens.weight"
        case .finalNorm: "model.norm.weight"
        case .lmHead: "lm_head.weight"
        case .block(let layer, let part): "model.layers.\(layer).\(part.hfSuffix)"
        case .ropeFrequencies: nil
        }
    }
}
