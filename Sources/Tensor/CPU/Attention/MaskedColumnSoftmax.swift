/// Online softmax over a transposed score tile [key][column] whose columns are unrelated queries (different
/// positions, different heads of a group), each with its own causal limit: `OnlineSoftmax.foldTransposed` for
/// the decode kernel, where the mask is not the triangle of a diagonal tile.
enum MaskedColumnSoftmax {
    /// Running max a column starts from: finite, so a column that sees no key of a block (or of a whole split)
    /// keeps factor 2^0 = 1 and sum 0 instead of turning into NaN; its first real score replaces it.
    static let emptyMax: Float = -.greatestFiniteMagnitude

    /// Folds scores [key][lane] (base 2, row stride `ld`) of keys 0..<keys and lanes 0..<lanes (a multiple of 16)
    /// into each lane's running (max, sum), overwriting the scores with exp2(score - newMax), exactly 0 where
    /// masked. With `lastVisible`, lane c sees key j only when j <= lastVisible[c] + visibleShift; without, it sees
    /// every key. Leaves in `correction` the factor by which each lane's earlier output must be rescaled.
    @inline(__always)
    static func fold(
        scores: UnsafeMutablePointer<Float>, ld: Int, lanes: Int, keys: Int,
        lastVisible: UnsafePointer<Int32>?, visibleShift: Int,
        runningMax: UnsafeMutablePointer<Float>, runningSum: UnsafeMutablePointer<Float>,
        correction: UnsafeMutablePointer<Float>
    ) {
        for first in stride(from: 0, to: lanes, by: 16) {
            // All ones in a lane while key <= limit: the sign bit of limit - key, spread and inverted.
            let limit = lastVisible.map {
                UnsafeRawPointer($0 + first).loadUnaligned(as: SIMD16<Int32>.self) &+ Int32(visibleShift)
            }
            @inline(__always) func keep(_ key: Int, _ v: SIMD16<Float>, fill: Float) -> SIMD16<Float> {
                guard let limit else { return v }
                let visible = ~((limit &- Int32(key)) &>> 31)
                let kept = unsafeBitCast(v, to: SIMD16<Int32>.self) & visible
                let filled = unsafeBitCast(SIMD16<Float>(repeating: fill), to: SIMD16<Int32>.self) & ~visible
                return unsafeBitCast(kept | filled, to: SIMD16<Float>.self)
            }
            var tileMax = SIMD16<Float>(repeating: -.infinity)
            for key in 0..<keys {
                tileMax = lanewiseMax(tileMax, keep(key, loadVector(scores + key * ld + first), fill: -.infinity))
            }
            let oldMax = loadVector(runningMax + first)
            let newMax = lanewiseMax(oldMax, tileMax)
            var sum = SIMD16<Float>()
            for key in 0..<keys {
                // Masked lanes may compute garbage (score - emptyMax overflows); the bitwise mask replaces it.
                let p = keep(key, fastExp2(loadVector(scores + key * ld + first) - newMax), fill: 0)
                storeVector(p, scores + key * ld + first)
                sum += p
            }
            let factor = fastExp2(oldMax - newMax)
            storeVector(newMax, runningMax + first)
            storeVector(loadVector(runningSum + first) * factor + sum, runningSum + first)
            storeVector(factor, correction + first)
        }
    }
}
