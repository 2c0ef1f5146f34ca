/// A Llama-family model's config.json (model_type llama, mistral or qwen2), typed and validated.
/// Keys follow Hugging Face's snake_case names (`CodingKeys`); RoPE is read as transformers 5 reads it
/// (`rope_parameters`, or the older `rope_theta` + `rope_scaling`), see `RoPEConfiguration`.
/// Unknown keys are not kept here: `ConfigDocument` keeps the whole file for writing back.
public struct LlamaConfig: Sendable, Equatable {
    public var family: ModelFamily
    public var architectures: [String]
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// Key/value heads (grouped-query attention); equal to `numAttentionHeads` without GQA.
    public var numKeyValueHeads: Int
    /// From `head_dim` when given, else hidden_size / num_attention_heads.
    public var headDim: Int
    public var hiddenAct: String
    public var rmsNormEps: Double
    public var maxPositionEmbeddings: Int
    public var tieWordEmbeddings: Bool
    /// The `attention_bias` and `mlp_bias` keys as written; `bias` says what the family really uses.
    public var attentionBias: Bool
    public var mlpBias: Bool
    /// `bos_token_id` / `eos_token_id` (an int or a list in the file); empty when null.
    public var bosTokenIds: [Int]
    public var eosTokenIds: [Int]
    public var padTokenId: Int?
    /// `dtype` (transformers 5) or `torch_dtype` (4), e.g. "bfloat16".
    public var dtype: String?
    /// The window that transformers applies, if any (Mistral-7B-v0.1; Qwen2 with use_sliding_window).
    public var slidingWindow: SlidingWindow?
    public var rope: RoPEConfiguration
    /// Things transformers would warn about and that we accept: unrecognized RoPE keys, keys the
    /// family ignores, a RoPE that transformers 4 would read differently.
    public var warnings: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case modelType = "model_type"
        case architectures
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case hiddenAct = "hidden_act"
        case rmsNormEps = "rms_norm_eps"
        case maxPositionEmbeddings = "max_position_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case padTokenId = "pad_token_id"
        case dtype
        case torchDtype = "torch_dtype"
        case slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window"
        case maxWindowLayers = "max_window_layers"
        case layerTypes = "layer_types"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
        case partialRotaryFactor = "partial_rotary_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
    }

    /// Which linear layers have a bias, as transformers builds the model for this family.
    public var bias: ProjectionBias {
        switch family {
        case .llama: return ProjectionBias(query: attentionBias, key: attentionBias, value: attentionBias, output: attentionBias, mlp: mlpBias)
        case .mistral: return ProjectionBias(query: false, key: false, value: false, output: false, mlp: false)
        case .qwen2: return ProjectionBias(query: true, key: true, value: true, output: false, mlp: false)
        }
    }

    /// Refuses a training length the model cannot see the way it was trained: with a sliding window
    /// shorter than the sequence, transformers masks beyond the window while our attention is full.
    public func checkSequenceLength(_ length: Int) throws {
        if let window = slidingWindow, !window.layers.isEmpty, window.size < length {
            throw ConfigError(key: CodingKeys.slidingWindow.rawValue, .slidingWindowShorterThanSequence(window: window.size, sequenceLength: length))
        }
    }
}
