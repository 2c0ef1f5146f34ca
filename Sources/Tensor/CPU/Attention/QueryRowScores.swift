/// Scores and online softmax of a handful of queries against a block of up to 64 cache rows, one line of scores
/// per query ([query][key], 64 apart). Decoding one token with three or four query heads per kv head would fill
/// only 3 or 4 of the 16 lanes of a transposed tile (`MaskedColumnSoftmax`), paying 16 lanes of products per key;
/// here each key row meets each query in a dot product instead, and the softmax runs along the keys, 16 per vector.
/// Measured here (SmolLM2 shapes: 3 columns; one thread, 2K cached rows): 148 us against 251 us for the tile; at
/// 6 columns 225 against 242; at 9 columns the tile wins (308 against 324), hence at most 8 columns.
enum QueryRowScores {
    /// scores[q * ld + key] = queries[q] . keys[key] for q < queryCount, key < keyCount. Queries are rows of
    /// `headDim` floats (already scaled); key `key` starts at keys + key * keyStride. Four keys at a time, so each
    /// chunk of a query is loaded once per four keys.
    @inline(__always)
    static func multiply(
        queries: UnsafePointer<Float>, queryCount: Int, headDim: Int, keys: UnsafePointer<Float>, keyStride: Int,
        keyCount: Int, scores: UnsafeMutablePointer<Float>, ld: Int
    ) {
        for query in 0..<queryCount {
            let row = queries + query * headDim, line = scores + query * ld
            var key = 0
            while key + 4 <= keyCount {
                let k0 = keys + key * keyStride, k1 = k0 + keyStride, k2 = k1 + keyStride, k3 = k2 + keyStride
                var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
                for d in stride(from: 0, to: headDim, by: 16) {
                    let q = loadVector(row + d)
                    s0.addProduct(loadVector(k0 + d), q)
                    s1.addProduct(loadVector(k1 + d), q)
                    s2.addProduct(loadVector(k2 + d), q)
                    s3.addProduct(loadVector(k3 + d), q)
                }
                line[key] = horizontalSum(s0)
                line[key + 1] = horizontalSum(s1)
                line[key + 2] = horizontalSum(s2)
                line[key + 3] = horizontalSum(s3)
                key += 4
            }
            while key < keyCount {
                let k0 = keys + key * keyStride
                var s0 = SIMD16<Float>()
                for d in stride(from: 0, to: headDim, by: 16) { s0.addProduct(loadVector(k0 + d), loadVector(row + d)) }
                line[key] = horizontalSum(s0)
                key += 1
            }
        }
    }

    /// Folds each query's line (base 2) into its running (max, sum) and overwrites it with exp2(score - newMax),
    /// zero from its first invisible key to the end of the 64-float line (so the product with V may read all
    /// `keyCount` of them). With `lastVisible`, query q sees key j when j <= lastVisible[q] + visibleShift, else
    /// every key. Leaves in `correction[q]` the factor by which its earlier output must be rescaled. A query that
    /// has seen no key yet keeps max -inf and sum 0.
    @inline(__always)
    static func fold(
        scores: UnsafeMutablePointer<Float>, ld: Int, queryCount: Int, keyCount: Int,
        lastVisible: UnsafePointer<Int32>?, visibleShift: Int,
        runningMax: UnsafeMutablePointer<Float>, runningSum: UnsafeMutablePointer<Float>,
        correction: UnsafeMutablePointer<Float>
    ) {
        for query in 0..<queryCount {
            let line = scores + query * ld
            let visible = lastVisible.map { min(keyCount, max(0, Int($0[query]) + visibleShift + 1)) } ?? keyCount
            var lanes = SIMD16<Float>(repeating: -.infinity)
            for block in stride(from: 0, to: visible, by: 16) {
                lanes = lanewiseMax(lanes, keepingFirst(visible - block, of: loadVector(line + block), fill: -.infinity))
            }
            let oldMax = runningMax[query], newMax = max(oldMax, horizontalMax(lanes))
            if newMax == -.infinity {
                line.update(repeating: 0, count: DocumentTiles.size)
                correction[query] = 1
                continue
            }
            let sum = OnlineSoftmax.exponentiate(line, visible: visible, scoreScale: 1, shift: newMax)
            let factor = oldMax == -.infinity ? 0 : fastExp2(SIMD16(repeating: oldMax - newMax))[0]
            runningMax[query] = newMax
            runningSum[query] = runningSum[query] * factor + sum
            correction[query] = factor
        }
    }
}

/// Largest lane, by halving.
@inline(__always) func horizontalMax(_ v: SIMD16<Float>) -> Float {
    let v8 = lanewiseMax(v.lowHalf, v.highHalf)
    let v4 = lanewiseMax(v8.lowHalf, v8.highHalf)
    let v2 = lanewiseMax(v4.lowHalf, v4.highHalf)
    return max(v2[0], v2[1])
}
