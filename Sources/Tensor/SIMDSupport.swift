// Unaligned 16-lane loads and stores for the kernels. Build release code with `-target-cpu haswell` (or newer)
// so these become AVX vector moves, and write `a * b + c` rather than `addingProduct` (a libm call per lane
// without FMA in the target).

typealias Vec = SIMD16<Float>

/// Lanes per vector in the kernels.
let vecWidth = 16

@inline(__always) func loadVec(_ p: UnsafePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always) func loadVec(_ p: UnsafeMutablePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always) func storeVec(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
}

/// Horizontal sum in a fixed order, accumulated in Double.
@inline(__always) func sumInDouble(_ v: Vec) -> Double {
    var s = 0.0
    for i in 0..<vecWidth { s += Double(v[i]) }
    return s
}

/// Horizontal maximum (NaN-free inputs).
@inline(__always) func maxLane(_ v: Vec) -> Float {
    let a = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
    let b = a.lowHalf.replacing(with: a.highHalf, where: a.highHalf .> a.lowHalf)
    let c = b.lowHalf.replacing(with: b.highHalf, where: b.highHalf .> b.lowHalf)
    return Swift.max(c[0], c[1])
}

/// e^x per lane (Cephes-style: x = n ln2 + r, |r| <= ln2/2, degree-6 polynomial; about 2 ulp). Inputs below
/// -87.3 give 0 and above 88.72 give +inf; between 88 and 88.72 the result saturates at e^88 (callers use it for
/// softmax after max-subtraction and for sigmoid, where that range never matters). NaN is not expected.
@inline(__always) func expVec(_ x: Vec) -> Vec {
    let upper: Float = 88.0, overflow: Float = 88.72283, lower: Float = -87.33654
    let clamped = x.replacing(with: upper, where: x .> upper).replacing(with: lower, where: x .< lower)
    // Round x/ln2 to the nearest integer with the 1.5 * 2^23 trick: the integer lands in the low mantissa bits.
    let magic: Float = 12582912
    let shifted = clamped * 1.44269504 + magic
    let n = shifted - magic
    var r = clamped - n * 0.693359375
    r = r - n * -2.12194440e-4
    var p: Vec = Vec(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * (r * r) + r + 1
    let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(Vec(repeating: magic), to: SIMD16<Int32>.self) &+ 127) &<< 23
    var result = y * unsafeBitCast(exponent, to: Vec.self)
    result.replace(with: 0, where: x .< lower)
    result.replace(with: .infinity, where: x .> overflow)
    return result
}

/// `expVec` for one value, so loop tails round exactly like the vector body.
@inline(__always) func expScalar(_ x: Float) -> Float {
    expVec(Vec(repeating: x))[0]
}

/// Square root per lane for x >= 0 (0 gives 0), to about 1 ulp. Swift's `SIMD.squareRoot()` runs lane by lane
/// through libm's sqrtf (errno path), which made AdamW compute-bound; this stays in vector registers:
/// 1/sqrt(x) from the exponent-halving estimate refined by three Newton steps, times x.
@inline(__always) func squareRootVec(_ x: Vec) -> Vec {
    let estimate = SIMD16<UInt32>(repeating: 0x5F37_5A86) &- (unsafeBitCast(x, to: SIMD16<UInt32>.self) &>> 1)
    var y = unsafeBitCast(estimate, to: Vec.self)
    let half = x * 0.5
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    var root = x * y
    root.replace(with: 0, where: x .== 0)
    root.replace(with: x, where: x .== .infinity)
    return root
}
