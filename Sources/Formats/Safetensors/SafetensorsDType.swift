/// Element types of a safetensors file, spelled as in the header.
///
/// Case order is the reference library's `Dtype` order (increasing alignment); its writer sorts
/// tensors by descending dtype then by name so that every tensor's data stays aligned, and
/// `SafetensorsWriter` does the same, which makes our files identical to theirs.
public enum SafetensorsDType: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }

    /// Whether `SafetensorsFile.floats` can widen it to Float (F64 is narrowed, rounding).
    public var convertsToFloat: Bool {
        switch self {
        case .f32, .f16, .bf16, .f64: true
        default: false
        }
    }

    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
}
