/// Per-token rotary cos/sin, each [T, D/2] f32 (the two halves of head_dim share the same angles).
public struct RotaryTable: Sendable {
    public let cos: Tensor
    public let sin: Tensor

    public init(cos: Tensor, sin: Tensor) {
        precondition(cos.shape == sin.shape && cos.rank == 2, "rotary cos \(cos.shape) and sin \(sin.shape) must be equal [T, D/2]")
        self.cos = cos
        self.sin = sin
    }

    public var tokenCount: Int { cos.shape[0] }
    /// head_dim / 2.
    public var halfDimension: Int { cos.shape[1] }
}

/// Result of `Device.crossEntropy` on one block of rows.
public struct CrossEntropyResult: Sendable, Equatable {
    /// Sum of -log softmax(logits)[label] over rows whose label is not ignored.
    public var lossSum: Double
    /// Number of rows whose label is not ignored.
    public var validCount: Int

    public init(lossSum: Double, validCount: Int) {
        self.lossSum = lossSum
        self.validCount = validCount
    }
}

/// AdamW settings for one parameter (torch.optim.AdamW names and defaults; Double as Python passes them).
public struct AdamWHyperparameters: Sendable, Equatable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}
