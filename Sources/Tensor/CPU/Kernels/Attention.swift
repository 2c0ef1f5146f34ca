// Varlen causal attention on the CPU. Head sizes that are multiples of 16 (every Llama-family model) run the
// tiled flash-style kernel in CPU/Attention (VarlenAttention); others run the simple version below: one query row
// at a time against blocks of keys with an online softmax (never a T x T matrix either).
// Layouts: q/o [T, Hq, D], k/v [T, Hkv, D], lse [Hq, T].

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUDevice {
    public func attentionForward(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: [Int32], scale: Float,
                                 output: Tensor, lse: Tensor) {
        let op: StaticString = "attentionForward"
        let sizes = ReferenceAttentionSizes(q: q, k: k, v: v, cuSeqlens: cuSeqlens, op)
        precondition(output.shape == q.shape && lse.shape == [sizes.queryHeads, sizes.tokens],
                     "attentionForward: output \(output.shape) must be \(q.shape), lse \(lse.shape) must be [\(sizes.queryHeads), \(sizes.tokens)]")
        guard sizes.dim % 16 == 0 else {
            return simpleAttentionForward(q: q, k: k, v: v, cuSeqlens: cuSeqlens, scale: scale, output: output, lse: lse)
        }
        attentionWorkspace.withLock { workspace in
            VarlenAttention.forward(q: q.f32(op), k: k.f32(op), v: v.f32(op), cuSeqlens: cuSeqlens, shape: sizes.kernelShape,
                                    scale: scale, o: output.f32(op), lse: lse.f32(op), threads: threadCount, workspace: workspace)
        }
    }

    public func attentionBackward(dOutput: Tensor, q: Tensor, k: Tensor, v: Tensor, output: Tensor, lse: Tensor,
                                  cuSeqlens: [Int32], scale: Float, dq: Tensor, dk: Tensor, dv: Tensor) {
        let op: StaticString = "attentionBackward"
        let sizes = ReferenceAttentionSizes(q: q, k: k, v: v, cuSeqlens: cuSeqlens, op)
        precondition(dOutput.shape == q.shape && output.shape == q.shape && dq.shape == q.shape
                     && dk.shape == k.shape && dv.shape == v.shape && lse.shape == [sizes.queryHeads, sizes.tokens],
                     "attentionBackward: gradient and saved tensors must match q \(q.shape), k \(k.shape), v \(v.shape), lse [Hq, T]")
        guard sizes.dim % 16 == 0 else {
            return simpleAttentionBackward(dOutput: dOutput, q: q, k: k, v: v, output: output, lse: lse, cuSeqlens: cuSeqlens,
                                           scale: scale, dq: dq, dk: dk, dv: dv)
        }
        attentionWorkspace.withLock { workspace in
            VarlenAttention.backward(dO: dOutput.f32(op), q: q.f32(op), k: k.f32(op), v: v.f32(op), o: output.f32(op),
                                     lse: lse.f32(op), cuSeqlens: cuSeqlens, shape: sizes.kernelShape, scale: scale,
                                     dq: dq.f32(op), dk: dk.f32(op), dv: dv.f32(op), threads: threadCount, workspace: workspace)
        }
    }

    func simpleAttentionForward(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: [Int32], scale: Float,
                                output: Tensor, lse: Tensor) {
        let shape = ReferenceAttentionSizes(q: q, k: k, v: v, cuSeqlens: cuSeqlens, "attentionForward")
        precondition(output.shape == q.shape && lse.shape == [shape.queryHeads, shape.tokens],
                     "attentionForward: output \(output.shape) must be \(q.shape), lse \(lse.shape) must be [\(shape.queryHeads), \(shape.tokens)]")
        let pq = q.f32("attentionForward"), pk = k.f32("attentionForward"), pv = v.f32("attentionForward")
        let po = output.f32("attentionForward"), pl = lse.f32("attentionForward")
        let rowsPerTask = 16
        let blocks = shape.queryBlocks(rows: rowsPerTask)
        pool.run(tasks: blocks.count * shape.queryHeads) { task in
            let block = blocks[task / shape.queryHeads], h = task % shape.queryHeads
            withUnsafeTemporaryAllocation(of: Float.self, capacity: shape.dim + ReferenceAttentionSizes.keyBlock) { scratch in
                let acc = scratch.baseAddress!, scores = acc + shape.dim
                for t in block.rows {
                    let lseValue = attendRow(shape, t: t, h: h, docStart: block.docStart, q: pq, k: pk, v: pv,
                                             scale: scale, acc: acc, scores: scores)
                    let orow = po + (t * shape.queryHeads + h) * shape.dim
                    let normalizer = 1 / Float(lseValue.sum)
                    for d in 0..<shape.dim { orow[d] = acc[d] * normalizer }
                    pl[h * shape.tokens + t] = lseValue.max + Float(log(lseValue.sum))
                }
            }
        }
    }

    /// Per (document, kv head) task: with P = exp(S - lse) and Di = rowsum(dO * O), dV += P^T dO,
    /// dS = P * (dO V^T - Di), dQ = scale dS K, dK = scale dS^T Q. Tasks own disjoint rows of dq, dk and dv.
    func simpleAttentionBackward(dOutput: Tensor, q: Tensor, k: Tensor, v: Tensor, output: Tensor, lse: Tensor,
                                 cuSeqlens: [Int32], scale: Float, dq: Tensor, dk: Tensor, dv: Tensor) {
        let op: StaticString = "attentionBackward"
        let shape = ReferenceAttentionSizes(q: q, k: k, v: v, cuSeqlens: cuSeqlens, op)
        precondition(dOutput.shape == q.shape && output.shape == q.shape && dq.shape == q.shape
                     && dk.shape == k.shape && dv.shape == v.shape && lse.shape == [shape.queryHeads, shape.tokens],
                     "attentionBackward: gradient and saved tensors must match q \(q.shape), k \(k.shape), v \(v.shape), lse [Hq, T]")
        let pdo = dOutput.f32(op), pq = q.f32(op), pk = k.f32(op), pv = v.f32(op), po = output.f32(op)
        let pl = lse.f32(op), pdq = dq.f32(op), pdk = dk.f32(op), pdv = dv.f32(op)
        let (hq, hkv, dim) = (shape.queryHeads, shape.kvHeads, shape.dim)
        let group = hq / hkv
        let documents = shape.documents
        pool.run(tasks: documents.count * hkv) { task in
            let doc = documents[task / hkv], g = task % hkv
            for j in doc {
                (pdk + (j * hkv + g) * dim).initialize(repeating: 0, count: dim)
                (pdv + (j * hkv + g) * dim).initialize(repeating: 0, count: dim)
            }
            for h in g * group..<(g + 1) * group {
                for t in doc {
                    let qrow = pq + (t * hq + h) * dim, dorow = pdo + (t * hq + h) * dim
                    let dqrow = pdq + (t * hq + h) * dim
                    let rowLSE = pl[h * shape.tokens + t]
                    let di = dotProduct(dorow, po + (t * hq + h) * dim, dim)
                    dqrow.initialize(repeating: 0, count: dim)
                    for j in doc.lowerBound...t {
                        let krow = pk + (j * hkv + g) * dim, vrow = pv + (j * hkv + g) * dim
                        let p = expScalar(dotProduct(qrow, krow, dim) * scale - rowLSE)
                        addScaled(p, dorow, to: pdv + (j * hkv + g) * dim, dim)
                        let ds = p * (dotProduct(dorow, vrow, dim) - di)
                        addScaled(ds, krow, to: dqrow, dim)
                        addScaled(ds, qrow, to: pdk + (j * hkv + g) * dim, dim)
                    }
                    scaleInPlace(dqrow, scale, dim)
                }
            }
            for j in doc { scaleInPlace(pdk + (j * hkv + g) * dim, scale, dim) }
        }
    }
}

/// Sizes of one attention call, checked once.
extension ReferenceAttentionSizes {
    var kernelShape: AttentionShape { AttentionShape(tokens: tokens, queryHeads: queryHeads, kvHeads: kvHeads, headDim: dim) }
}

struct ReferenceAttentionSizes {
    /// Keys scored per online-softmax update.
    static let keyBlock = 64

    let tokens: Int, queryHeads: Int, kvHeads: Int, dim: Int
    /// Token ranges of the documents (empty documents dropped).
    let documents: [Range<Int>]

    init(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: [Int32], _ op: StaticString) {
        precondition(q.rank == 3 && k.rank == 3 && k.shape == v.shape && q.shape[0] == k.shape[0] && q.shape[2] == k.shape[2],
                     "\(op): q \(q.shape) must be [T, Hq, D] and k \(k.shape), v \(v.shape) [T, Hkv, D]")
        (tokens, queryHeads, kvHeads, dim) = (q.shape[0], q.shape[1], k.shape[1], q.shape[2])
        precondition(kvHeads > 0 && queryHeads % kvHeads == 0, "\(op): \(queryHeads) query heads not a multiple of \(kvHeads) kv heads")
        precondition(cuSeqlens.first == 0 && cuSeqlens.last.map(Int.init) == tokens
                     && zip(cuSeqlens, cuSeqlens.dropFirst()).allSatisfy { $0 <= $1 },
                     "\(op): cuSeqlens must rise from 0 to T = \(tokens), got \(cuSeqlens.prefix(8))...")
        documents = zip(cuSeqlens, cuSeqlens.dropFirst()).compactMap { $0 < $1 ? Int($0)..<Int($1) : nil }
    }

    /// Query rows cut into blocks of at most `rows` that stay inside one document.
    func queryBlocks(rows: Int) -> [(docStart: Int, rows: Range<Int>)] {
        documents.flatMap { doc in
            stride(from: doc.lowerBound, to: doc.upperBound, by: rows).map {
                (doc.lowerBound, $0..<Swift.min(doc.upperBound, $0 + rows))
            }
        }
    }
}

/// Attends query row t of head h to keys docStart...t: leaves sum_j e^(s_j - max) v_j in `acc` and returns the
/// running max and sum of e^(s_j - max) (Double).
private func attendRow(_ shape: ReferenceAttentionSizes, t: Int, h: Int, docStart: Int, q: UnsafePointer<Float>,
                       k: UnsafePointer<Float>, v: UnsafePointer<Float>, scale: Float,
                       acc: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>) -> (max: Float, sum: Double) {
    let (hq, hkv, dim) = (shape.queryHeads, shape.kvHeads, shape.dim)
    let g = h / (hq / hkv)
    let qrow = q + (t * hq + h) * dim
    acc.initialize(repeating: 0, count: dim)
    var runningMax = -Float.infinity
    var runningSum = 0.0
    var start = docStart
    while start <= t {
        let end = Swift.min(t + 1, start + ReferenceAttentionSizes.keyBlock)
        var blockMax = -Float.infinity
        for j in start..<end {
            let s = dotProduct(qrow, k + (j * hkv + g) * dim, dim) * scale
            scores[j - start] = s
            blockMax = Swift.max(blockMax, s)
        }
        let newMax = Swift.max(runningMax, blockMax)
        if newMax > runningMax && runningMax > -.infinity {
            let correction = expScalar(runningMax - newMax)
            runningSum *= Double(correction)
            scaleInPlace(acc, correction, dim)
        }
        runningMax = newMax
        for j in start..<end {
            let p = expScalar(scores[j - start] - newMax)
            runningSum += Double(p)
            addScaled(p, v + (j * hkv + g) * dim, to: acc, dim)
        }
        start = end
    }
    return (runningMax, runningSum)
}
