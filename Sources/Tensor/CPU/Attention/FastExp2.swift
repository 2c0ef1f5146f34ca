// 2^x for sixteen lanes at once: softmax evaluates one exponential per attention score, T^2/2 per head, so a
// scalar libm call per score would cost more than the matrix products.

/// 2^x with relative error below 2e-7 for x in [-126, 127]. Inputs below -126 (including -inf) give 2^-126: callers
/// zero masked lanes themselves. Softmax only passes x <= 0 (score minus a max or a log-sum-exp), so there is no
/// upper clamp: x above 127.5 would give garbage. Cephes exp2f: 2^x = 2^n * (1 + f P(f)), n = round(x),
/// f in [-0.5, 0.5].
@inline(__always)
func fastExp2(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let clamped = lanewiseMax(x, SIMD16(repeating: -126))
    // Adding 1.5 * 2^23 rounds to an integer (nearest even) and leaves it in the low mantissa bits.
    let shifter = SIMD16<Float>(repeating: 12_582_912)
    let shifted = clamped + shifter
    let n = shifted - shifter
    let f = clamped - n
    var p = SIMD16<Float>(repeating: 1.339887440266574e-3).addingProduct(f, SIMD16(repeating: 1.535336188319500e-4))
    p = SIMD16<Float>(repeating: 9.618437357674640e-3).addingProduct(p, f)
    p = SIMD16<Float>(repeating: 5.550332471162809e-2).addingProduct(p, f)
    p = SIMD16<Float>(repeating: 2.402264791363012e-1).addingProduct(p, f)
    p = SIMD16<Float>(repeating: 6.931472028550421e-1).addingProduct(p, f)
    let mantissa = SIMD16<Float>(repeating: 1).addingProduct(p, f)
    // Adding n to the exponent field multiplies by 2^n exactly.
    let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
    let bits = unsafeBitCast(mantissa, to: SIMD16<Int32>.self) &+ (integer &<< 23)
    return unsafeBitCast(bits, to: SIMD16<Float>.self)
}
