/// How RoPE frequencies are changed from the plain `1 / base^(2i/d)` table, one case per transformers
/// `rope_type` that Llama-family models accept. Changing only the base (ProLong's "ABF") is `.none`
/// with a different `RoPEConfiguration.base`.
public enum RoPEScaling: Sendable, Equatable {
    /// rope_type "default".
    case none
    /// Position interpolation: every frequency divided by `factor`.
    case linear(factor: Double)
    /// Dynamic NTK: the base grows with the sequence length beyond max_position_embeddings.
    case dynamic(factor: Double)
    case yarn(YaRNScaling)
    case llama3(Llama3Scaling)
    case longrope(LongRoPEScaling)

    /// The `rope_type` names we accept, in transformers' spelling.
    public static let typeNames = ["default", "linear", "dynamic", "yarn", "llama3", "longrope"]

    public var typeName: String {
        switch self {
        case .none: return "default"
        case .linear: return "linear"
        case .dynamic: return "dynamic"
        case .yarn: return "yarn"
        case .llama3: return "llama3"
        case .longrope: return "longrope"
        }
    }

    /// The pretraining length the scaling refers to, for the types that carry one.
    public var originalMaxPositionEmbeddings: Int? {
        switch self {
        case .none, .linear, .dynamic: return nil
        case let .yarn(yarn): return yarn.originalMaxPositionEmbeddings
        case let .llama3(llama3): return llama3.originalMaxPositionEmbeddings
        case let .longrope(longrope): return longrope.originalMaxPositionEmbeddings
        }
    }
}

/// YaRN (Peng et al. 2023). Optional fields stay nil when the config leaves them out, so writing the
/// config back keeps it as terse as it was; the `effective…` values apply transformers' defaults.
public struct YaRNScaling: Sendable, Equatable {
    public var factor: Double
    public var originalMaxPositionEmbeddings: Int
    public var attentionFactor: Double?
    public var betaFast: Double?
    public var betaSlow: Double?
    public var mscale: Double?
    public var mscaleAllDim: Double?
    public var truncate: Bool?

    public init(factor: Double, originalMaxPositionEmbeddings: Int, attentionFactor: Double? = nil,
                betaFast: Double? = nil, betaSlow: Double? = nil, mscale: Double? = nil,
                mscaleAllDim: Double? = nil, truncate: Bool? = nil) {
        self.factor = factor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
        self.attentionFactor = attentionFactor
        self.betaFast = betaFast
        self.betaSlow = betaSlow
        self.mscale = mscale
        self.mscaleAllDim = mscaleAllDim
        self.truncate = truncate
    }

    // transformers reads these with Python's `or`, so 0 also falls back to the default.
    public var effectiveBetaFast: Double { betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32 }
    public var effectiveBetaSlow: Double { betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1 }
    public var effectiveTruncate: Bool { truncate ?? true }
}

/// Llama 3.1's frequency-dependent interpolation (Llama-3.1: factor 8, low 1, high 4, original 8192).
public struct Llama3Scaling: Sendable, Equatable {
    public var factor: Double
    public var lowFreqFactor: Double
    public var highFreqFactor: Double
    public var originalMaxPositionEmbeddings: Int

    public init(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositionEmbeddings: Int) {
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
    }
}

/// LongRoPE (Phi-3 style): per-frequency rescale factors, the short set up to the original length and
/// the long set beyond it.
public struct LongRoPEScaling: Sendable, Equatable {
    public var shortFactor: [Double]
    public var longFactor: [Double]
    /// Used only to derive the default attention factor.
    public var factor: Double
    public var attentionFactor: Double?
    public var originalMaxPositionEmbeddings: Int

    public init(shortFactor: [Double], longFactor: [Double], factor: Double, attentionFactor: Double? = nil,
                originalMaxPositionEmbeddings: Int) {
        self.shortFactor = shortFactor
        self.longFactor = longFactor
        self.factor = factor
        self.attentionFactor = attentionFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
    }
}
