/// The Hugging Face config values of a Llama-family GGUF, read from its metadata the way
/// transformers' GGUF loader reads them (integrations/ggml.py): a plain struct that the Model
/// module maps to its own config.
public struct GGUFModelConfig: Sendable, Equatable {
    /// "llama" (also Mistral, SmolLM2 and others converted as llama) and "qwen2".
    public static let supportedArchitectures = ["llama", "qwen2"]

    public var architecture: String
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var maxPositionEmbeddings: Int
    /// The stored float32, widened (9.999999747378752e-06 for 1e-5), as transformers reads it.
    public var rmsNormEps: Double
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling?
    /// llama3-style per-frequency divisors, from the `rope_freqs.weight` tensor llama.cpp stores
    /// instead of the rope_scaling parameters; nil when absent.
    public var ropeFrequencyFactors: [Float]?
    public var bosTokenId: Int?
    public var eosTokenId: Int?
    public var padTokenId: Int?
    /// No `output.weight`: the LM head reuses the token embeddings.
    public var tieWordEmbeddings: Bool
    /// q/k/v projections carry biases (Qwen2).
    public var attentionBias: Bool
    /// llama.cpp's converter interleaves the rotary halves of q/k rows for these architectures.
    public var qkRowsPermuted: Bool { architecture == "llama" }

    /// `{arch}.rope.scaling.*` as llama.cpp writes it.
    public struct RopeScaling: Sendable, Equatable {
        /// "linear", "yarn", "longrope"…, as stored.
        public var type: String
        public var factor: Double?
        public var originalMaxPositionEmbeddings: Int?
        public var attentionFactor: Double?
        public var finetuned: Bool?
        public var yarnLogMultiplier: Double?
        public var yarnExtFactor: Double?
        public var yarnBetaFast: Double?
        public var yarnBetaSlow: Double?

        public init(
            type: String, factor: Double? = nil, originalMaxPositionEmbeddings: Int? = nil, attentionFactor: Double? = nil,
            finetuned: Bool? = nil, yarnLogMultiplier: Double? = nil, yarnExtFactor: Double? = nil,
            yarnBetaFast: Double? = nil, yarnBetaSlow: Double? = nil
        ) {
            self.type = type
            self.factor = factor
            self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
            self.attentionFactor = attentionFactor
            self.finetuned = finetuned
            self.yarnLogMultiplier = yarnLogMultiplier
            self.yarnExtFactor = yarnExtFactor
            self.yarnBetaFast = yarnBetaFast
            self.yarnBetaSlow = yarnBetaSlow
        }
    }

    public init(file: GGUFFile) throws(GGUFWeightsError) {
        let reader = MetadataReader(file: file)
        let arch = try reader.required("general.architecture") { try file.string($0) }
        guard Self.supportedArchitectures.contains(arch) else {
            throw GGUFWeightsError(path: file.path, reason: .unsupportedArchitecture(arch))
        }
        architecture = arch
        hiddenSize = try reader.positive("\(arch).embedding_length")
        intermediateSize = try reader.positive("\(arch).feed_forward_length")
        numHiddenLayers = try reader.positive("\(arch).block_count")
        maxPositionEmbeddings = try reader.positive("\(arch).context_length")
        numAttentionHeads = try reader.positive("\(arch).attention.head_count")
        numKeyValueHeads = try reader.optionalPositive("\(arch).attention.head_count_kv") ?? numAttentionHeads
        // key_length is written when head_dim differs from hidden/heads; llama writes head_dim as
        // rope.dimension_count (rotary over the whole head), which transformers reads as head_dim.
        if let n = try reader.optionalPositive("\(arch).attention.key_length") {
            headDim = n
        } else if let n = try reader.optionalPositive("\(arch).rope.dimension_count") {
            headDim = n
        } else {
            headDim = hiddenSize / numAttentionHeads
        }
        rmsNormEps = try reader.required("\(arch).attention.layer_norm_rms_epsilon") { try file.float64($0) }
        ropeTheta = try reader.optional("\(arch).rope.freq_base") { try file.float64($0) } ?? 10_000
        ropeScaling = try Self.ropeScaling(reader, arch)

        guard let tokens = file.arrayInfo("tokenizer.ggml.tokens") else {
            throw GGUFWeightsError(path: file.path, reason: .missingKey("tokenizer.ggml.tokens"))
        }
        vocabSize = tokens.count
        bosTokenId = try reader.optional("tokenizer.ggml.bos_token_id") { try file.int($0) }
        eosTokenId = try reader.optional("tokenizer.ggml.eos_token_id") { try file.int($0) }
        padTokenId = try reader.optional("tokenizer.ggml.padding_token_id") { try file.int($0) }
        tieWordEmbeddings = file.tensor(named: "output.weight") == nil
        attentionBias = file.tensor(named: "blk.0.attn_q.bias") != nil
        ropeFrequencyFactors = try file.tensor(named: "rope_freqs.weight").map { info throws(GGUFWeightsError) in try file.floats(info) }

        guard numAttentionHeads % numKeyValueHeads == 0 else {
            throw GGUFWeightsError(path: file.path, reason: .badValue(key: "\(arch).attention.head_count_kv",
                detail: "\(numKeyValueHeads) does not divide the \(numAttentionHeads) attention heads"))
        }
    }

    private static func ropeScaling(_ reader: MetadataReader, _ arch: String) throws(GGUFWeightsError) -> RopeScaling? {
        let file = reader.file
        let key = "\(arch).rope.scaling."
        var type = try reader.optional(key + "type") { try file.string($0) }
        var factor = try reader.optional(key + "factor") { try file.float64($0) }
        // Files from before rope.scaling.* stored only a linear factor.
        if type == nil, let linear = try reader.optional("\(arch).rope.scale_linear", { try file.float64($0) }) {
            type = "linear"
            factor = linear
        }
        guard let type, type != "none" else { return nil }
        return RopeScaling(
            type: type, factor: factor,
            originalMaxPositionEmbeddings: try reader.optionalPositive(key + "original_context_length"),
            attentionFactor: try reader.optional(key + "attn_factor") { try file.float64($0) },
            finetuned: try reader.optional(key + "finetuned") { try file.bool($0) },
            yarnLogMultiplier: try reader.optional(key + "yarn_log_multiplier") { try file.float64($0) },
            yarnExtFactor: try reader.optional(key + "yarn_ext_factor") { try file.float64($0) },
            yarnBetaFast: try reader.optional(key + "yarn_beta_fast") { try file.float64($0) },
            yarnBetaSlow: try reader.optional(key + "yarn_beta_slow") { try file.float64($0) })
    }
}

/// Metadata lookups that turn GGUFError and absent keys into GGUFWeightsError naming the key.
struct MetadataReader {
    let file: GGUFFile

    func optional<T>(_ key: String, _ read: (String) throws -> T?) throws(GGUFWeightsError) -> T? {
        do {
            return try read(key)
        } catch {
            throw GGUFWeightsError(path: file.path, reason: .badValue(key: key, detail: "\(error)"))
        }
    }

    func required<T>(_ key: String, _ read: (String) throws -> T?) throws(GGUFWeightsError) -> T {
        guard let v = try optional(key, read) else { throw GGUFWeightsError(path: file.path, reason: .missingKey(key)) }
        return v
    }

    func optionalPositive(_ key: String) throws(GGUFWeightsError) -> Int? {
        if file.arrayInfo(key) != nil {
            throw GGUFWeightsError(path: file.path, reason: .badValue(key: key, detail: "per-layer values are not supported"))
        }
        guard let v = try optional(key, { try file.int($0) }) else { return nil }
        guard v > 0 else { throw GGUFWeightsError(path: file.path, reason: .badValue(key: key, detail: "\(v) is not positive")) }
        return v
    }

    func positive(_ key: String) throws(GGUFWeightsError) -> Int {
        guard let v = try optionalPositive(key) else { throw GGUFWeightsError(path: file.path, reason: .missingKey(key)) }
        return v
    }
}
