import Formats
import Tensor

/// The storage type of the weights a model directory is written with.
public enum WeightDType: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, bf16, f16

    /// The torch dtype name transformers writes into config.json (`dtype`, formerly `torch_dtype`).
    public var configName: String {
        switch self {
        case .f32: "float32"
        case .bf16: "bfloat16"
        case .f16: "float16"
        }
    }

    public var safetensors: SafetensorsDType {
        switch self {
        case .f32: .f32
        case .bf16: .bf16
        case .f16: .f16
        }
    }

    public var tensorDType: DType {
        switch self {
        case .f32: .f32
        case .bf16: .bf16
        case .f16: .f16
        }
    }

    public var byteSize: Int { tensorDType.byteSize }

    public var description: String { rawValue }
}
