/// One column value of an MDS sample.
///
/// Scalars widen to 64 bits (the column's encoding decides the stored width); arrays keep
/// their element type and shape because ProLong's `input_ids`/`indices` are typed ndarrays.
public enum MDSValue: Sendable, Equatable {
    case string(String)
    case bytes([UInt8])
    /// `int`, `int8`…`int64`, `str_int`.
    case int(Int64)
    /// `uint8`…`uint64`.
    case uint(UInt64)
    /// `float16`, `float32`, `float64`, `str_float`.
    case double(Double)
    /// `json`: the JSON text exactly as stored (no re-serialisation, so bytes round-trip).
    case json(String)
    /// `ndarray[:dtype[:shape]]`.
    case array(MDSArray)
}

extension MDSValue {
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let v): return v
        case .uint(let v): return v <= UInt64(Int64.max) ? Int64(v) : nil
        default: return nil
        }
    }
    public var arrayValue: MDSArray? { if case .array(let a) = self { return a }; return nil }

    /// Convenience for the common ProLong columns.
    public static func uint32Array(_ values: [UInt32], shape: [Int]? = nil) -> MDSValue {
        .array(MDSArray(.uint32(values), shape: shape ?? [values.count]))
    }
    public static func int64Array(_ values: [Int64], shape: [Int]? = nil) -> MDSValue {
        .array(MDSArray(.int64(values), shape: shape ?? [values.count]))
    }
}
