// Sixteen-lane helpers written in the forms that compile to single AVX-512 instructions here. Measured with
// Swift 6.3.1: `replacing(with:where:)` on SIMD16 masks, `pointwiseMax`, `clamped`, `max()` and `sum()` all become
// scalar loops or out-of-line calls, so the kernels use these instead.

@inline(__always) func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) func storeVector(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// max(a, b) per lane (vmaxps); a NaN in `a` yields `b`. The SIMD16 form is spelled out because builds without
/// whole-module optimization (the test build) call the generic one unspecialized, one lane at a time.
@inline(__always) func lanewiseMax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    var result = a
    for lane in a.indices { result[lane] = a[lane] > b[lane] ? a[lane] : b[lane] }
    return result
}

/// max(a, b) per lane for the other widths.
@inline(__always) func lanewiseMax<V: SIMD>(_ a: V, _ b: V) -> V where V.Scalar == Float {
    var result = a
    for lane in a.indices { result[lane] = a[lane] > b[lane] ? a[lane] : b[lane] }
    return result
}

/// Lanes 0..<count of `v`, `fill` in the others (count may be below 0 or above 16).
@inline(__always) func keepingFirst(_ count: Int, of v: SIMD16<Float>, fill: Float = 0) -> SIMD16<Float> {
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let clampedCount = Int32(clamping: count)
    // All ones where lane < count: the sign bit of lane - count, spread by an arithmetic shift.
    let keep = (lanes &- SIMD16(repeating: clampedCount)) &>> 31
    let kept = unsafeBitCast(v, to: SIMD16<Int32>.self) & keep
    let filled = unsafeBitCast(SIMD16<Float>(repeating: fill), to: SIMD16<Int32>.self) & ~keep
    return unsafeBitCast(kept | filled, to: SIMD16<Float>.self)
}

/// Lanes `start`..<16 of `v`, `fill` in the others (start may be below 0 or above 16).
@inline(__always) func keepingLast(from start: Int, of v: SIMD16<Float>, fill: Float = 0) -> SIMD16<Float> {
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    // All ones where lane >= start: the sign bit of start - 1 - lane, spread by an arithmetic shift.
    let keep = (SIMD16(repeating: Int32(clamping: start) &- 1) &- lanes) &>> 31
    let kept = unsafeBitCast(v, to: SIMD16<Int32>.self) & keep
    let filled = unsafeBitCast(SIMD16<Float>(repeating: fill), to: SIMD16<Int32>.self) & ~keep
    return unsafeBitCast(kept | filled, to: SIMD16<Float>.self)
}

/// Sum of the lanes, by halving (a fixed order, so results are reproducible).
@inline(__always) func horizontalSum(_ v: SIMD16<Float>) -> Float {
    let v8 = v.lowHalf + v.highHalf
    let v4 = v8.lowHalf + v8.highHalf
    let v2 = v4.lowHalf + v4.highHalf
    return v2[0] + v2[1]
}
