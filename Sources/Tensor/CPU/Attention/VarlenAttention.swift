#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Causal grouped-query attention over a packed sequence of documents (flash-attention's varlen interface):
/// each token attends to itself and the earlier tokens of its own document, never across a boundary in cuSeqlens.
///
/// Layouts (f32, row-major): q, o, dO, dq are [tokens, queryHeads, headDim]; k, v, dk, dv are
/// [tokens, kvHeads, headDim]; lse is [queryHeads, tokens], natural-log log-sum-exp of the scaled scores of each
/// query row. Query head h reads kv head h / (queryHeads / kvHeads); dk and dv sum over the heads of a group.
///
/// Memory is linear in tokens: scores are formed 64 x 64 tiles at a time with an online softmax; no
/// tokens x tokens matrix exists. Besides inputs and outputs, with P = (tokens + 63 * documents) * kvHeads * headDim
/// (one packed copy of k or v, tiles padded to 64 rows) and G = queryHeads / kvHeads:
/// - forward: 2 P floats (K and V tiles) in the workspace; per worker 64 * 64 + G * (2 * 64 * headDim + 192)
///   floats;
/// - backward: 3 P floats (K^T, V^T, K tiles), queryHeads * tokens floats for rowsum(dO * O) and one partial dq
///   buffer of tokens * queryHeads * headDim floats of which only rows from each document's chunk split to its end
///   are ever touched (about 0.71 of q for one long document); per worker 2 * 64 * 64 + 3 * 64 * headDim +
///   8 * 64 * headDim floats.
/// For SmolLM2 shapes (Hq 9, Hkv 3, D 64) that is about 1.5 KiB per token in the forward and 4 KiB per token in the
/// backward, next to 12 KiB per token for q, k, v, o, dO, dq, dk, dv themselves.
///
/// Results are bitwise identical for any `threads`: every output element has a single writer and every sum runs
/// in a fixed order. Pass one `AttentionWorkspace` to repeated calls (every layer, every step) to reuse its scratch
/// memory; by default each call makes and frees its own.
public enum VarlenAttention {
    /// Online processors, the default worker count.
    public static var defaultThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// o = softmax(scale * q k^T, causal within each document) v, and the log-sum-exp of each query row.
    public static func forward(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        cuSeqlens: [Int32], shape: AttentionShape, scale: Float,
        o: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>, threads: Int = defaultThreads,
        workspace: AttentionWorkspace = AttentionWorkspace()
    ) {
        let tiles = DocumentTiles([Document](cuSeqlens: cuSeqlens, tokens: shape.tokens))
        AttentionForward(shape: shape, tiles: tiles, scale: scale, pool: WorkerPool(workers: threads), workspace: workspace)
            .run(q: q, k: k, v: v, o: o, lse: lse)
    }

    /// Gradients of the forward pass given dO, from the same inputs and the forward's o and lse.
    /// dq, dk, dv are overwritten (not accumulated into).
    public static func backward(
        dO: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        o: UnsafePointer<Float>, lse: UnsafePointer<Float>, cuSeqlens: [Int32], shape: AttentionShape, scale: Float,
        dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
        threads: Int = defaultThreads, workspace: AttentionWorkspace = AttentionWorkspace()
    ) {
        let tiles = DocumentTiles([Document](cuSeqlens: cuSeqlens, tokens: shape.tokens))
        AttentionBackward(
            shape: shape, tiles: tiles, scale: scale, pool: WorkerPool(workers: threads), workspace: workspace
        ).run(dO: dO, q: q, k: k, v: v, o: o, lse: lse, dq: dq, dk: dk, dv: dv)
    }
}

extension VarlenAttention {
    /// Array form of `forward`: returns o [tokens, queryHeads, headDim] and lse [queryHeads, tokens].
    public static func forward(
        q: [Float], k: [Float], v: [Float], cuSeqlens: [Int32], shape: AttentionShape, scale: Float,
        threads: Int = defaultThreads
    ) -> (o: [Float], lse: [Float]) {
        precondition(q.count == shape.queryCount && k.count == shape.kvCount && v.count == shape.kvCount)
        var o = [Float](repeating: 0, count: shape.queryCount)
        var lse = [Float](repeating: 0, count: shape.tokens * shape.queryHeads)
        if shape.tokens == 0 { return (o, lse) }
        o.withUnsafeMutableBufferPointer { o in
            lse.withUnsafeMutableBufferPointer { lse in
                forward(
                    q: q, k: k, v: v, cuSeqlens: cuSeqlens, shape: shape, scale: scale,
                    o: o.baseAddress!, lse: lse.baseAddress!, threads: threads)
            }
        }
        return (o, lse)
    }

    /// Array form of `backward`: returns dq, dk, dv.
    public static func backward(
        dO: [Float], q: [Float], k: [Float], v: [Float], o: [Float], lse: [Float],
        cuSeqlens: [Int32], shape: AttentionShape, scale: Float, threads: Int = defaultThreads
    ) -> (dq: [Float], dk: [Float], dv: [Float]) {
        precondition(dO.count == shape.queryCount && o.count == shape.queryCount && q.count == shape.queryCount)
        precondition(k.count == shape.kvCount && v.count == shape.kvCount && lse.count == shape.tokens * shape.queryHeads)
        var dq = [Float](repeating: 0, count: shape.queryCount)
        var dk = [Float](repeating: 0, count: shape.kvCount)
        var dv = [Float](repeating: 0, count: shape.kvCount)
        if shape.tokens == 0 { return (dq, dk, dv) }
        dq.withUnsafeMutableBufferPointer { dq in
            dk.withUnsafeMutableBufferPointer { dk in
                dv.withUnsafeMutableBufferPointer { dv in
                    backward(
                        dO: dO, q: q, k: k, v: v, o: o, lse: lse, cuSeqlens: cuSeqlens, shape: shape, scale: scale,
                        dq: dq.baseAddress!, dk: dk.baseAddress!, dv: dv.baseAddress!, threads: threads)
                }
            }
        }
        return (dq, dk, dv)
    }
}
