import Tensor

/// The weights of a Llama-family decoder (or their gradients: the same shapes), as f32 tensors on one
/// device, named as transformers names them so they load from and save to safetensors unchanged.
public final class LlamaParameters: @unchecked Sendable {
    public struct Layer: Sendable {
        public var inputNorm: Tensor
        public var query: Tensor, key: Tensor, value: Tensor, output: Tensor
        public var queryBias: Tensor?, keyBias: Tensor?, valueBias: Tensor?, outputBias: Tensor?
        public var postAttentionNorm: Tensor
        public var gate: Tensor, up: Tensor, down: Tensor
        public var gateBias: Tensor?, upBias: Tensor?, downBias: Tensor?
    }

    public let config: LlamaConfig
    public var embedding: Tensor
    public var layers: [Layer]
    public var finalNorm: Tensor
    /// nil when the LM head is tied to the embedding (tie_word_embeddings).
    public var lmHead: Tensor?

    /// Parameters of `config`'s shapes on `device`, every element from `initial(name, shape)`.
    public init(config: LlamaConfig, device: any Device, initial: (String, [Int]) throws -> Tensor) rethrows {
        self.config = config
        let d = config.hiddenSize, hd = config.headDim, i = config.intermediateSize
        let q = config.numAttentionHeads * hd, kv = config.numKeyValueHeads * hd
        let bias = config.bias
        func make(_ name: String, _ shape: [Int]) throws -> Tensor {
            let t = try initial(name, shape)
            precondition(t.shape == shape && t.dtype == .f32, "\(name): \(t.shape) \(t.dtype), expected \(shape) f32")
            return t
        }
        func optional(_ present: Bool, _ name: String, _ shape: [Int]) throws -> Tensor? {
            present ? try make(name, shape) : nil
        }
        embedding = try make("model.embed_tokens.weight", [config.vocabSize, d])
        layers = try (0..<config.numHiddenLayers).map { l in
            let p = "model.layers.\(l)."
            return Layer(
                inputNorm: try make(p + "input_layernorm.weight", [d]),
                query: try make(p + "self_attn.q_proj.weight", [q, d]),
                key: try make(p + "self_attn.k_proj.weight", [kv, d]),
                value: try make(p + "self_attn.v_proj.weight", [kv, d]),
                output: try make(p + "self_attn.o_proj.weight", [d, q]),
                queryBias: try optional(bias.query, p + "self_attn.q_proj.bias", [q]),
                keyBias: try optional(bias.key, p + "self_attn.k_proj.bias", [kv]),
                valueBias: try optional(bias.value, p + "self_attn.v_proj.bias", [kv]),
                outputBias: try optional(bias.output, p + "self_attn.o_proj.bias", [d]),
                postAttentionNorm: try make(p + "post_attention_layernorm.weight", [d]),
                gate: try make(p + "mlp.gate_proj.weight", [i, d]),
                up: try make(p + "mlp.up_proj.weight", [i, d]),
                down: try make(p + "mlp.down_proj.weight", [d, i]),
                gateBias: try optional(bias.mlp, p + "mlp.gate_proj.bias", [i]),
                upBias: try optional(bias.mlp, p + "mlp.up_proj.bias", [i]),
                downBias: try optional(bias.mlp, p + "mlp.down_proj.bias", [d]))
        }
        finalNorm = try make("model.norm.weight", [d])
        lmHead = config.tieWordEmbeddings ? nil : try make("lm_head.weight", [config.vocabSize, d])
    }

    /// Zeros shaped like `config`'s parameters (gradient buffers, optimizer moments).
    public static func zeros(config: LlamaConfig, device: any Device) -> LlamaParameters {
        LlamaParameters(config: config, device: device) { _, shape in .zeros(shape, on: device) }
    }

    /// Every tensor with its transformers name, in a fixed order (embedding, layers, norm, head).
    public var named: [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = [("model.embed_tokens.weight", embedding)]
        for (l, layer) in layers.enumerated() {
            let p = "model.layers.\(l)."
            out.append((p + "input_layernorm.weight", layer.inputNorm))
            out.append((p + "self_attn.q_proj.weight", layer.query))
            if let b = layer.queryBias { out.append((p + "self_attn.q_proj.bias", b)) }
            out.append((p + "self_attn.k_proj.weight", layer.key))
            if let b = layer.keyBias { out.append((p + "self_attn.k_proj.bias", b)) }
            out.append((p + "self_attn.v_proj.weight", layer.value))
            if let b = layer.valueBias { out.append((p + "self_attn.v_proj.bias", b)) }
            out.append((p + "self_attn.o_proj.weight", layer.output))
            if let b = layer.outputBias { out.append((p + "self_attn.o_proj.bias", b)) }
            out.append((p + "post_attention_layernorm.weight", layer.postAttentionNorm))
            out.append((p + "mlp.gate_proj.weight", layer.gate))
            if let b = layer.gateBias { out.append((p + "mlp.gate_proj.bias", b)) }
            out.append((p + "mlp.up_proj.weight", layer.up))
            if let b = layer.upBias { out.append((p + "mlp.up_proj.bias", b)) }
            out.append((p + "mlp.down_proj.weight", layer.down))
            if let b = layer.downBias { out.append((p + "mlp.down_proj.bias", b)) }
        }
        out.append(("model.norm.weight", finalNorm))
        if let lmHead { out.append(("lm_head.weight", lmHead)) }
        return out
    }

    /// Whether AdamW's weight decay applies (HF Trainer: not to biases and norm weights).
    public static func decays(_ name: String) -> Bool {
        !(name.hasSuffix(".bias") || name.hasSuffix("norm.weight"))
    }

    public var parameterCount: Int { named.reduce(0) { $0 + $1.tensor.elementCount } }
}
