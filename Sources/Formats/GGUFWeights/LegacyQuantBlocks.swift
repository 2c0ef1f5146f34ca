/// The 32-element block formats (ggml-quants.h `block_q4_0` …), decoded as ggml's reference
/// `dequantize_row_*` and gguf-py's `quants.py` do, operation for operation in Float, so the
/// results are bit-identical to theirs (no fused multiply-add: Swift does not contract `a * b + c`).
enum LegacyQuantBlocks {
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfPrecision.float(fromHalf: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// Q4_0 (18 bytes): f16 d, 16 bytes of nibbles. y = d * (q - 8); low nibbles are elements 0–15.
    @inline(__always)
    static func q4_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for j in 0..<16 {
            let b = p.load(fromByteOffset: 2 + j, as: UInt8.self)
            y[j] = d * Float(Int32(b & 0x0F) - 8)
            y[j + 16] = d * Float(Int32(b >> 4) - 8)
        }
    }

    /// Q4_1 (20 bytes): f16 d, f16 m, 16 bytes of nibbles. y = d * q + m.
    @inline(__always)
    static func q4_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        for j in 0..<16 {
            let b = p.load(fromByteOffset: 4 + j, as: UInt8.self)
            y[j] = d * Float(b & 0x0F) + m
            y[j + 16] = d * Float(b >> 4) + m
        }
    }

    /// Q5_0 (22 bytes): f16 d, u32 of fifth bits (bit j for element j), 16 bytes of nibbles.
    /// y = d * (q - 16).
    @inline(__always)
    static func q5_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for j in 0..<16 {
            let b = p.load(fromByteOffset: 6 + j, as: UInt8.self)
            let lo = Int32(b & 0x0F) | Int32((qh >> UInt32(j)) & 1) << 4
            let hi = Int32(b >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = d * Float(lo - 16)
            y[j + 16] = d * Float(hi - 16)
        }
    }

    /// Q5_1 (24 bytes): f16 d, f16 m, u32 of fifth bits, 16 bytes of nibbles. y = d * q + m.
    @inline(__always)
    static func q5_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for j in 0..<16 {
            let b = p.load(fromByteOffset: 8 + j, as: UInt8.self)
            let lo = UInt32(b & 0x0F) | ((qh >> UInt32(j)) & 1) << 4
            let hi = UInt32(b >> 4) | ((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = d * Float(lo) + m
            y[j + 16] = d * Float(hi) + m
        }
    }

    /// Q8_0 (34 bytes): f16 d, 32 signed bytes. y = q * d.
    @inline(__always)
    static func q8_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        for j in 0..<32 {
            y[j] = Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) * d
        }
    }
}
