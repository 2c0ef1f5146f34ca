/// A tensor to write: name, dtype, shape, and where its bytes come from. The bytes are produced
/// only when the writer reaches the tensor, one tensor at a time, so a multi-GB checkpoint never
/// has to sit in memory at once.
public struct SafetensorsTensorToWrite {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major dimensions, outermost first.
    public let shape: [Int]
    /// Fills a buffer of exactly `byteCount` bytes with the little-endian elements.
    let fill: (UnsafeMutableRawBufferPointer) throws -> Void

    /// Bytes the tensor occupies; nil if the shape is invalid or its size overflows.
    public var byteCount: Int? {
        var n = dtype.size
        for d in shape {
            guard d >= 0 else { return nil }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = m
        }
        return n
    }

    /// `fill` is handed a buffer of exactly `byteCount` bytes and must write all of it.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], fill: @escaping (UnsafeMutableRawBufferPointer) throws -> Void) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.fill = fill
    }

    /// Raw little-endian bytes; their count must equal `byteCount`.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        self.init(name: name, dtype: dtype, shape: shape) { out in
            guard bytes.count == out.count else {
                throw SafetensorsError(path: "", tensor: name, reason: .invalidTensor(
                    "has \(bytes.count) bytes but \(dtype) \(shape) needs \(out.count)"))
            }
            bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// Floats stored as F32, or rounded to nearest even into F16 / BF16 (as torch's `.to()` does).
    public init(name: String, shape: [Int], floats: [Float], as dtype: SafetensorsDType = .f32) {
        precondition(dtype == .f32 || dtype == .f16 || dtype == .bf16, "floats are written as F32, F16 or BF16, not \(dtype)")
        self.init(name: name, dtype: dtype, shape: shape) { out in
            guard floats.count * dtype.size == out.count else {
                throw SafetensorsError(path: "", tensor: name, reason: .invalidTensor(
                    "has \(floats.count) values but shape \(shape) holds \(out.count / dtype.size)"))
            }
            SafetensorsFloatEncoding.encode(floats, as: dtype, into: out)
        }
    }
}

enum SafetensorsFloatEncoding {
    static func encode(_ floats: [Float], as dtype: SafetensorsDType, into out: UnsafeMutableRawBufferPointer) {
        floats.withUnsafeBufferPointer { src in
            switch dtype {
            case .f32:
                if !src.isEmpty { out.copyMemory(from: UnsafeRawBufferPointer(src)) }
            case .f16:
                for (i, x) in src.enumerated() { out.storeBytes(of: HalfPrecision.half(from: x).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            case .bf16:
                for (i, x) in src.enumerated() { out.storeBytes(of: HalfPrecision.bfloat16(from: x).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            default:
                preconditionFailure("\(dtype) is not a float storage dtype")
            }
        }
    }
}
