/// The `model_type`s we load: all decoder-only Llama architectures (RMSNorm, SwiGLU, RoPE, GQA).
/// Defaults for keys a config may leave out are those of each transformers config class.
public enum ModelFamily: String, Sendable, CaseIterable, Codable {
    /// Llama-2/3/3.1/3.2 and SmolLM2.
    case llama
    /// Mistral-7B: no biases; a sliding window in v0.1.
    case mistral
    /// Qwen2: bias on q/k/v only; sliding window only when `use_sliding_window`.
    case qwen2

    var defaultMaxPositionEmbeddings: Int {
        switch self {
        case .llama: return 2048
        case .mistral: return 131_072
        case .qwen2: return 32_768
        }
    }

    /// nil: as many as attention heads.
    var defaultKeyValueHeads: Int? {
        switch self {
        case .llama: return nil
        case .mistral: return 8
        case .qwen2: return 32
        }
    }

    var defaultBosTokenIds: [Int] { self == .qwen2 ? [] : [1] }
    var defaultEosTokenIds: [Int] { self == .qwen2 ? [] : [2] }
    var defaultSlidingWindow: Int? { self == .llama ? nil : 4096 }
}

/// Which linear layers carry a bias. transformers decides this per family: Llama from
/// `attention_bias` / `mlp_bias`, Qwen2 always q/k/v (never o_proj or the MLP), Mistral never.
public struct ProjectionBias: Sendable, Equatable {
    public var query: Bool
    public var key: Bool
    public var value: Bool
    public var output: Bool
    /// gate_proj, up_proj and down_proj.
    public var mlp: Bool

    public init(query: Bool, key: Bool, value: Bool, output: Bool, mlp: Bool) {
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.mlp = mlp
    }
}

/// Layers that attend only within the last `size` tokens (Mistral-7B-v0.1: 4096 on every layer).
public struct SlidingWindow: Sendable, Equatable {
    public var size: Int
    /// Indices of the layers that use the window.
    public var layers: [Int]

    public init(size: Int, layers: [Int]) {
        self.size = size
        self.layers = layers
    }
}
