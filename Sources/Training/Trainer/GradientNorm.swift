import Model
import Tensor

/// The global L2 norm of all gradients, and the factor that clips it to `maxNorm` as
/// torch.nn.utils.clip_grad_norm_ does: maxNorm / (norm + 1e-6), never above 1.
func globalNorm(_ gradients: LlamaParameters, device: any Device) -> Double {
    gradients.named.reduce(0.0) { $0 + device.sumOfSquares($1.tensor) }.squareRoot()
}

func clipFactor(norm: Double, maxNorm: Double) -> Double {
    guard maxNorm > 0 else { return 1 }
    return min(1, maxNorm / (norm + 1e-6))
}
