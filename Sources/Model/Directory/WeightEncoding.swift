import Formats

/// Converts stored weight bytes between F32, BF16 and F16 (F64 read too), rounding to nearest even
/// as torch's `.to()` does. Scalar loops over `HalfPrecision`: fast in release builds and still
/// quick in the debug builds the tests run (the generic SIMD conversion is not).
enum WeightEncoding {
    /// `source` holds `count` elements of `stored`; `out` has room for `count` elements of `target`.
    static func convert(_ source: UnsafeRawBufferPointer, from stored: SafetensorsDType, count: Int,
                        to target: WeightDType, into out: UnsafeMutableRawBufferPointer) {
        if stored == target.safetensors {
            out.copyMemory(from: source)
            return
        }
        let floats: [Float]
        switch stored {
        case .f32: floats = Array(source.bindMemory(to: Float.self).prefix(count))
        case .bf16, .f16:
            floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if stored == .bf16 { HalfPrecision.decodeBFloat16s(source, into: buffer) } else { HalfPrecision.decodeHalves(source, into: buffer) }
                initialized = count
            }
        case .f64: floats = (0..<count).map { Float(source.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self)) }
        default: preconditionFailure("\(stored) is not a float dtype")
        }
        encode(floats, as: target, into: out)
    }

    static func encode(_ floats: [Float], as target: WeightDType, into out: UnsafeMutableRawBufferPointer) {
        floats.withUnsafeBufferPointer { src in
            switch target {
            case .f32:
                out.copyMemory(from: UnsafeRawBufferPointer(src))
            case .bf16:
                let dst = out.bindMemory(to: UInt16.self)
                for i in src.indices { dst[i] = HalfPrecision.bfloat16(from: src[i]).littleEndian }
            case .f16:
                let dst = out.bindMemory(to: UInt16.self)
                for i in src.indices { dst[i] = HalfPrecision.half(from: src[i]).littleEndian }
            }
        }
    }
}
