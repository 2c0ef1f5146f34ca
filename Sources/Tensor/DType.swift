/// Element type of a tensor's storage.
///
/// bf16 and f16 are storage formats: the CPU backend computes in f32 (matmul converts bf16/f16 operands to
/// f32 temporaries; the other kernels take f32 only). A GPU backend may compute in bf16/f16 natively.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case f32, bf16, f16

    /// Bytes per element.
    @inlinable public var byteSize: Int {
        switch self {
        case .f32: 4
        case .bf16, .f16: 2
        }
    }

    public var description: String { rawValue }
}
