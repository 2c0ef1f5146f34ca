/// Tensors widened to Float, for code that computes in f32 whatever the checkpoint stores.
extension SafetensorsFile {
    /// F32, F16 and BF16 convert exactly; F64 rounds to nearest. Other dtypes throw.
    public func floats(_ info: SafetensorsTensorInfo) throws(SafetensorsError) -> [Float] {
        guard info.dtype.convertsToFloat else {
            throw SafetensorsError(path: path, offset: info.byteRange.lowerBound, tensor: info.name, reason: .notFloat(info.dtype))
        }
        return SafetensorsFloatDecoding.decode(data(info), dtype: info.dtype)
    }

    public func floats(named name: String) throws(SafetensorsError) -> [Float] {
        try floats(try info(name))
    }
}

enum SafetensorsFloatDecoding {
    /// `bytes` holds whole elements of a float dtype, little-endian.
    static func decode(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType) -> [Float] {
        let count = bytes.count / dtype.size
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch dtype {
            case .f32:
                if count > 0 { UnsafeMutableRawBufferPointer(out).copyMemory(from: bytes) }
            case .f16:
                HalfPrecision.decodeHalves(bytes, into: out)
            case .bf16:
                HalfPrecision.decodeBFloat16s(bytes, into: out)
            case .f64:
                for i in 0..<count { out[i] = Float(bytes.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
            default:
                preconditionFailure("\(dtype) is not a float dtype")
            }
            initialized = count
        }
    }
}
