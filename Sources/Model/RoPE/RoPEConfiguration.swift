/// Everything that decides a model's rotary position embedding: the base (`rope_theta`), the scaling,
/// and the few model dimensions the formulas read.
public struct RoPEConfiguration: Sendable, Equatable {
    /// `rope_theta`.
    public var base: Double
    public var scaling: RoPEScaling
    public var headDim: Int
    /// Fraction of each head that is rotated (`partial_rotary_factor`), 1 for Llama-family models.
    public var partialRotaryFactor: Double
    /// Dynamic NTK measures growth against this length; yarn/llama3/longrope default their original
    /// length to it when the config has none.
    public var maxPositionEmbeddings: Int

    public init(base: Double, scaling: RoPEScaling = .none, headDim: Int, partialRotaryFactor: Double = 1,
                maxPositionEmbeddings: Int) {
        self.base = base
        self.scaling = scaling
        self.headDim = headDim
        self.partialRotaryFactor = partialRotaryFactor
        self.maxPositionEmbeddings = maxPositionEmbeddings
    }

    /// Rotated dimensions per head: `int(head_dim * partial_rotary_factor)` as in transformers.
    public var rotaryDim: Int { Int(Double(headDim) * partialRotaryFactor) }
}
