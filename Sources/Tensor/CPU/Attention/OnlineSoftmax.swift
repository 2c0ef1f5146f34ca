/// Softmax over 64 x 64 score tiles, in base 2. Masked scores (keys past the query on a diagonal tile, past the
/// document end) get probability exactly 0 whatever their value.
enum OnlineSoftmax {
    /// Columns a query row of the tile may see: up to and including itself on the diagonal tile, every key of the
    /// (full) tile otherwise.
    @inline(__always)
    static func visibleColumns(row: Int, diagonal: Bool, keyCount: Int) -> Int {
        diagonal ? row + 1 : keyCount
    }

    /// Folds a transposed tile of scores, [key][query] and already in base 2 (the forward scales Q by
    /// scale * log2 e), into the running (max, sum) of each query and overwrites the scores with
    /// exp2(score - newMax), zero where masked. Sixteen queries fill one vector, so maxima and sums need no
    /// horizontal reductions. Leaves in `correction[query]` the factor 2^(oldMax - newMax) by which the query's
    /// earlier output must be rescaled. Statistics buffers hold 64 queries; lanes past `queries` compute on finite
    /// padding and are never read.
    @inline(__always)
    static func foldTransposed(
        scores: UnsafeMutablePointer<Float>, queries: Int, keys: Int, diagonal: Bool,
        runningMax: UnsafeMutablePointer<Float>, runningSum: UnsafeMutablePointer<Float>,
        correction: UnsafeMutablePointer<Float>
    ) {
        let size = DocumentTiles.size
        for first in stride(from: 0, to: queries, by: 16) {
            // On the diagonal tile query first + lane sees key c when c <= first + lane; keys past the group's last
            // query are invisible to all sixteen.
            let lastKey = diagonal ? min(keys, first + 16) : keys
            var tileMax = SIMD16<Float>(repeating: -.infinity)
            for key in 0..<lastKey {
                var score = loadVector(scores + key * size + first)
                if diagonal && key > first { score = keepingLast(from: key - first, of: score, fill: -.infinity) }
                tileMax = lanewiseMax(tileMax, score)
            }
            let oldMax = loadVector(runningMax + first)
            let newMax = lanewiseMax(oldMax, tileMax)
            var sum = SIMD16<Float>()
            for key in 0..<lastKey {
                var p = fastExp2(loadVector(scores + key * size + first) - newMax)
                if diagonal && key > first { p = keepingLast(from: key - first, of: p) }
                storeVector(p, scores + key * size + first)
                sum += p
            }
            // The product with V reads these on a diagonal tile (its row blocks straddle query groups).
            for key in lastKey..<keys { storeVector(SIMD16(), scores + key * size + first) }
            let factor = fastExp2(oldMax - newMax)
            storeVector(newMax, runningMax + first)
            storeVector(loadVector(runningSum + first) * factor + sum, runningSum + first)
            storeVector(factor, correction + first)
        }
    }

    /// Probabilities of a row whose log-sum-exp (base 2) is known: exp2(score * scoreScale - lse2), masked.
    @inline(__always)
    static func probabilities(scores: UnsafeMutablePointer<Float>, visible: Int, scoreScale: Float, lse2: Float) {
        _ = exponentiate(scores, visible: visible, scoreScale: scoreScale, shift: lse2)
    }

    /// Overwrites a 64-score row with exp2(score * scoreScale - shift), zero at and past `visible`; returns the sum.
    @inline(__always)
    static func exponentiate(_ line: UnsafeMutablePointer<Float>, visible: Int, scoreScale: Float, shift: Float) -> Float {
        let negativeShift = SIMD16<Float>(repeating: -shift)
        var sum = SIMD16<Float>()
        for block in stride(from: 0, to: DocumentTiles.size, by: 16) {
            var p = fastExp2(negativeShift.addingProduct(loadVector(line + block), scoreScale))
            if visible < block + 16 { p = keepingFirst(visible - block, of: p) }
            storeVector(p, line + block)
            sum += p
        }
        return horizontalSum(sum)
    }
}
