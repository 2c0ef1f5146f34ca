// bf16 is the top half of an f32: same exponent range, 8 bits of significand. Swift has no bf16 type, so a
// value is carried as its UInt16 bit pattern.

extension Float {
    /// The bf16 bit pattern nearest to this value (round to nearest, ties to even; overflow rounds to
    /// infinity; a NaN stays a quiet NaN with its sign).
    @inlinable @inline(__always)
    public var bf16Bits: UInt16 {
        let bits = bitPattern
        if isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// The value of a bf16 bit pattern (exact: every bf16 is an f32).
    @inlinable @inline(__always)
    public init(bf16Bits: UInt16) {
        self.init(bitPattern: UInt32(bf16Bits) << 16)
    }
}
