import Model
import Tensor

/// AdamW's moments for every parameter and the number of updates made (bias correction counts
/// from it). Carried over between the stages of a curriculum.
public final class OptimizerState: @unchecked Sendable {
    public let m: LlamaParameters
    public let v: LlamaParameters
    public var updates: Int

    public init(m: LlamaParameters, v: LlamaParameters, updates: Int) {
        self.m = m
        self.v = v
        self.updates = updates
    }

    public static func fresh(config: LlamaConfig, device: any Device) -> OptimizerState {
        OptimizerState(m: .zeros(config: config, device: device), v: .zeros(config: config, device: device), updates: 0)
    }
}
