/// Exact conversions between the 16-bit float formats found in checkpoints and Float.
///
/// Written with integer bit operations rather than `Float(Float16)`: the library conversion is a
/// function call per element unless the build targets F16C, and this form vectorizes on any x86-64.
public enum HalfPrecision {
    /// IEEE binary16 bits to Float, exactly (subnormals, infinities and NaN payloads included).
    @inline(__always)
    public static func float(fromHalf h: UInt16) -> Float {
        // Re-bias the exponent (15 -> 127) by shifting exponent and mantissa into place; then fix the
        // two special exponents. Subnormals become normals by adding an implicit one and subtracting
        // it back as a float, which is exact.
        let shiftedExponent: UInt32 = 0x7C00 << 13
        var bits = UInt32(h & 0x7FFF) << 13
        let exponent = bits & shiftedExponent
        bits &+= (127 - 15) << 23
        if exponent == shiftedExponent {
            bits &+= (128 - 16) << 23  // Inf / NaN: exponent all ones
        } else if exponent == 0 {
            bits &+= 1 << 23
            bits = (Float(bitPattern: bits) - Float(bitPattern: 113 << 23)).bitPattern
        }
        return Float(bitPattern: bits | UInt32(h & 0x8000) << 16)
    }

    /// bfloat16 bits to Float: the upper half of a float32, exactly.
    @inline(__always)
    public static func float(fromBFloat16 b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// Float to IEEE binary16 bits, rounding to nearest even (as torch and numpy do).
    @inline(__always)
    public static func half(from x: Float) -> UInt16 {
        Float16(x).bitPattern
    }

    /// Float to bfloat16 bits, rounding to nearest even; every NaN becomes 0x7FC0 (as torch does).
    @inline(__always)
    public static func bfloat16(from x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return 0x7FC0 }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// Little-endian binary16 values to Floats. `source` holds `destination.count` elements.
    public static func decodeHalves(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count * 2)
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        for i in 0..<destination.count {
            dst[i] = float(fromHalf: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    /// Little-endian bfloat16 values to Floats. `source` holds `destination.count` elements.
    public static func decodeBFloat16s(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count * 2)
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        for i in 0..<destination.count {
            dst[i] = float(fromBFloat16: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }
}
