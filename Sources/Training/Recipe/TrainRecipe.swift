/// A training run as a recipe describes it: a model directory in, a length curriculum of stages
/// (ProLong Table 9: each with its data, sequence length, RoPE and learning-rate schedule; the
/// optimizer state carries over), checkpoints and an exported model out.
public struct TrainRecipe: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    /// HF model directory (config.json, safetensors, tokenizer files) the run starts from.
    public var model: String
    /// Where checkpoints, metrics and the exported model go.
    public var output: String
    public var checkpointEverySteps: Int
    /// Checkpoints kept on disk (the oldest are removed); the final export is always kept.
    public var keepCheckpoints: Int
    public var activationCheckpointing: ActivationCheckpointing
    public var stages: [Stage]
    /// The recipe after parameter substitution, and its SHA-256 (a resume must use the same one).
    public var resolvedText: String
    public var sha256: String

    public enum ActivationCheckpointing: String, Sendable, Equatable {
        /// On for sequences of at least 8K tokens.
        case auto, on, off
    }

    public struct Stage: Sendable, Equatable {
        public var name: String
        public var data: [DomainMixture.Stream]
        public var sequenceLength: Int
        /// Tokens this stage trains on; steps = tokens / batchTokens, rounded up.
        public var tokens: Int
        /// Global batch per optimizer step, in tokens (gradient accumulation over sequences).
        public var batchTokens: Int
        public var rope: RoPEChange?
        public var optimizer: Optimizer
        /// Cross-document attention masking (ProLong: on; UltraLong: off).
        public var documentMasking: Bool
        /// Position ids restart at 0 in each document (ProLong's public code: no).
        public var restartPositions: Bool
        public var shuffle: Bool

        public var steps: Int { (tokens + batchTokens - 1) / batchTokens }
        /// Sequences per step (the last micro-batch of a step may hold a shorter sequence).
        public var sequencesPerStep: Int { max(1, batchTokens / sequenceLength) }
    }

    /// What a stage does to the model's RoPE before training (kept in the exported config).
    public struct RoPEChange: Sendable, Equatable {
        /// New base (ProLong's ABF: 8e6 at 64K, 1.28e8 at 512K).
        public var theta: Double?
        /// Scaling fields in HF form (`rope_type`, `factor`, `original_max_position_embeddings`,
        /// `beta_fast`, ...), applied as transformers would read them.
        public var scaling: [String: ScalingValue]
        /// max_position_embeddings written to the exported config.
        public var maxPositionEmbeddings: Int?
    }

    public enum ScalingValue: Sendable, Equatable {
        case number(Double)
        case text(String)
        case numbers([Double])
    }

    public struct Optimizer: Sendable, Equatable {
        public var learningRate: Double
        public var minLearningRateRatio: Double
        public var warmupRatio: Double
        public var weightDecay: Double
        public var beta1: Double
        public var beta2: Double
        public var epsilon: Double
        /// Global gradient-norm clip; 0 turns clipping off.
        public var gradientClip: Double
    }
}
