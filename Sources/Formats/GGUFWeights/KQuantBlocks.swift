/// The 256-element "K" super-block formats (ggml-quants.h `block_q2_K` …), decoded in the same
/// Float operation order as ggml's `dequantize_row_*_K` and gguf-py's `quants.py`, so results are
/// bit-identical. Layouts are given as byte offsets within one block.
enum KQuantBlocks {
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float { LegacyQuantBlocks.half(p, offset) }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 { p.load(fromByteOffset: offset, as: UInt8.self) }

    /// Q2_K (84 bytes): scales[16] (low nibble scale, high nibble min, per 16 elements), qs[64]
    /// (2-bit values), f16 d, f16 dmin. Element e = 128h + 32s + l takes bits 2s of qs[32h + l].
    @inline(__always)
    static func q2_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 80), dmin = half(p, 82)
        for g in 0..<16 {
            let sc = byte(p, g)
            let dl = d * Float(sc & 0x0F), ml = dmin * Float(sc >> 4)
            let h = g / 8, shift = UInt8(2 * ((g % 8) / 2)), l0 = (g % 2) * 16
            for l in l0..<(l0 + 16) {
                let q = (byte(p, 16 + 32 * h + l) >> shift) & 3
                y[16 * g + l - l0] = dl * Float(q) - ml
            }
        }
    }

    /// Q3_K (110 bytes): hmask[32] (third bit, inverted: set means no -4), qs[64] (2-bit values laid
    /// out as in Q2_K), scales[12] (sixteen 6-bit signed scales, biased by 32), f16 d.
    @inline(__always)
    static func q3_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 108)
        for g in 0..<16 {
            let low = (byte(p, 96 + g % 8) >> UInt8(4 * (g / 8))) & 0x0F
            let high = (byte(p, 104 + g % 4) >> UInt8(2 * (g / 4))) & 0x03
            let dl = d * Float(Int32(low | high << 4) - 32)
            let h = g / 8, shift = UInt8(2 * ((g % 8) / 2)), l0 = (g % 2) * 16
            let maskBit = UInt8(g / 2)
            for l in l0..<(l0 + 16) {
                let q = Int32((byte(p, 32 + 32 * h + l) >> shift) & 3)
                let set = (byte(p, l) >> maskBit) & 1
                y[16 * g + l - l0] = dl * Float(q - (set == 0 ? 4 : 0))
            }
        }
    }

    /// The eight 6-bit scales and mins of Q4_K / Q5_K, packed in 12 bytes at `offset`
    /// (ggml's get_scale_min_k4).
    @inline(__always)
    static func scaleMin(_ p: UnsafeRawPointer, _ offset: Int, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(p, offset + j) & 63, byte(p, offset + j + 4) & 63)
        }
        let packed = byte(p, offset + j + 4)
        return ((packed & 0x0F) | (byte(p, offset + j - 4) >> 6) << 4,
                (packed >> 4) | (byte(p, offset + j) >> 6) << 4)
    }

    /// Q4_K (144 bytes): f16 d, f16 dmin, scales[12], qs[128]. Eight sub-blocks of 32: sub-block
    /// 2c takes the low nibbles of qs[32c ..< 32c+32], 2c+1 the high ones. y = d*sc * q - dmin*m.
    @inline(__always)
    static func q4_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        for j in 0..<8 {
            let (sc, m) = scaleMin(p, 4, j)
            let d1 = d * Float(sc), m1 = dmin * Float(m)
            let base = 16 + 32 * (j / 2), shift = UInt8(4 * (j % 2))
            for l in 0..<32 {
                let q = (byte(p, base + l) >> shift) & 0x0F
                y[32 * j + l] = d1 * Float(q) - m1
            }
        }
    }

    /// Q5_K (176 bytes): f16 d, f16 dmin, scales[12], qh[32] (bit j of qh[l] is the fifth bit of
    /// element 32j + l), qs[128] as in Q4_K.
    @inline(__always)
    static func q5_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        for j in 0..<8 {
            let (sc, m) = scaleMin(p, 4, j)
            let d1 = d * Float(sc), m1 = dmin * Float(m)
            let base = 48 + 32 * (j / 2), shift = UInt8(4 * (j % 2))
            for l in 0..<32 {
                let q = (byte(p, base + l) >> shift) & 0x0F | ((byte(p, 16 + l) >> UInt8(j)) & 1) << 4
                y[32 * j + l] = d1 * Float(q) - m1
            }
        }
    }

    /// Q6_K (210 bytes): ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8, per 16
    /// elements), f16 d. Element e = 128h + 32s + l: low bits from ql[64h + 32(s%2) + l] (high
    /// nibble when s >= 2), high bits 2s of qh[32h + l]. y = d*scale * (q - 32).
    @inline(__always)
    static func q6_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 208)
        for h in 0..<2 {
            for s in 0..<4 {
                let lowBase = 64 * h + 32 * (s % 2), lowShift = UInt8(4 * (s / 2))
                let highShift = UInt8(2 * s)
                for half16 in 0..<2 {
                    let e0 = 128 * h + 32 * s + 16 * half16
                    let dl = d * Float(p.load(fromByteOffset: 192 + e0 / 16, as: Int8.self))
                    for l in (16 * half16)..<(16 * half16 + 16) {
                        let low = (byte(p, lowBase + l) >> lowShift) & 0x0F
                        let high = (byte(p, 128 + 32 * h + l) >> highShift) & 0x03
                        y[128 * h + 32 * s + l] = dl * Float(Int32(low | high << 4) - 32)
                    }
                }
            }
        }
    }
}
