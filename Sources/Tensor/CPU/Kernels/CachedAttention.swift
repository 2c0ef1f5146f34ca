// Attention of new queries against a KV cache on the CPU (inference). Head sizes that are multiples of 16 run the
// tiled and split kernels in CPU/Attention (CachedAttention); others run the simple version below: one query row
// at a time against blocks of 64 cache rows with an online softmax.
// Layouts: q/o [n, Hq, D], keys/values [capacity, Hkv, D] with the first start + n rows valid.

extension CPUDevice {
    public func cachedAttentionForward(q: Tensor, keys: Tensor, values: Tensor, start: Int, scale: Float, output: Tensor) {
        let op: StaticString = "cachedAttentionForward"
        precondition(q.rank == 3 && keys.rank == 3 && keys.shape == values.shape && q.shape[2] == keys.shape[2],
                     "cachedAttentionForward: q \(q.shape) must be [n, Hq, D] and keys \(keys.shape), values \(values.shape) [capacity, Hkv, D]")
        let (queries, queryHeads, capacity, kvHeads, dim) = (q.shape[0], q.shape[1], keys.shape[0], keys.shape[1], q.shape[2])
        precondition(kvHeads > 0 && queryHeads % kvHeads == 0,
                     "cachedAttentionForward: \(queryHeads) query heads not a multiple of \(kvHeads) kv heads")
        precondition(start >= 0 && start + queries <= capacity,
                     "cachedAttentionForward: start \(start) + \(queries) queries exceeds the cache capacity \(capacity)")
        precondition(output.shape == q.shape, "cachedAttentionForward: output \(output.shape) must be \(q.shape)")
        _ = (q.f32(op), keys.f32(op), values.f32(op), output.f32(op))  // dtype checks, even for an empty chunk
        if queries == 0 { return }
        guard dim % 16 == 0 else {
            return simpleCachedAttention(q: q.f32(op), keys: keys.f32(op), values: values.f32(op), output: output.f32(op),
                                         queries: queries, queryHeads: queryHeads, kvHeads: kvHeads, dim: dim,
                                         start: start, scale: scale)
        }
        let shape = CachedAttentionShape(queries: queries, start: start, capacity: capacity, queryHeads: queryHeads,
                                         kvHeads: kvHeads, headDim: dim)
        attentionWorkspace.withLock { workspace in
            CachedAttention.forward(q: q.f32(op), keys: keys.f32(op), values: values.f32(op), shape: shape, scale: scale,
                                    o: output.f32(op), threads: threadCount, workspace: workspace)
        }
    }

    /// Any head size: one task per (query, head), keys in blocks of 64 with an online softmax (sums in Double).
    private func simpleCachedAttention(q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                       output: UnsafeMutablePointer<Float>, queries: Int, queryHeads: Int, kvHeads: Int,
                                       dim: Int, start: Int, scale: Float) {
        let block = ReferenceAttentionSizes.keyBlock
        let group = queryHeads / kvHeads
        pool.run(tasks: queries * queryHeads) { task in
            let i = task / queryHeads, h = task % queryHeads
            let qrow = q + (i * queryHeads + h) * dim, orow = output + (i * queryHeads + h) * dim
            let kvOffset = (h / group) * dim
            withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { buffer in
                let scores = buffer.baseAddress!
                orow.initialize(repeating: 0, count: dim)
                var runningMax = -Float.infinity, runningSum = 0.0
                for first in stride(from: 0, through: start + i, by: block) {
                    let end = min(start + i + 1, first + block)
                    var blockMax = -Float.infinity
                    for j in first..<end {
                        scores[j - first] = dotProduct(qrow, keys + j * kvHeads * dim + kvOffset, dim) * scale
                        blockMax = max(blockMax, scores[j - first])
                    }
                    let newMax = max(runningMax, blockMax)
                    if newMax > runningMax && runningMax > -.infinity {
                        let correction = expScalar(runningMax - newMax)
                        runningSum *= Double(correction)
                        scaleInPlace(orow, correction, dim)
                    }
                    runningMax = newMax
                    for j in first..<end {
                        let p = expScalar(scores[j - first] - newMax)
                        runningSum += Double(p)
                        addScaled(p, values + j * kvHeads * dim + kvOffset, to: orow, dim)
                    }
                }
                scaleInPlace(orow, Float(1 / runningSum), dim)
            }
        }
    }
}
