#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The slow reference beside the tiled kernels: Double precision, one full masked score matrix per head
/// (tokens x tokens memory), written the way the math reads. For tests only; same layouts as `VarlenAttention`.
public enum AttentionReference {
    /// Masked softmax probabilities of query head `head`: P[i * tokens + j], zero where j is masked for i.
    public static func probabilities(
        q: [Float], k: [Float], cuSeqlens: [Int32], shape: AttentionShape, scale: Double, head: Int
    ) -> (p: [Double], lse: [Double]) {
        let t = shape.tokens, d = shape.headDim, kvHead = head / shape.groupSize
        let document = documentIndex(cuSeqlens: cuSeqlens, tokens: t)
        var p = [Double](repeating: 0, count: t * t)
        var lse = [Double](repeating: 0, count: t)
        for i in 0..<t {
            var scores: [(Int, Double)] = []
            for j in 0...i where document[j] == document[i] {
                var dot = 0.0
                for x in 0..<d {
                    dot += Double(q[(i * shape.queryHeads + head) * d + x]) * Double(k[(j * shape.kvHeads + kvHead) * d + x])
                }
                scores.append((j, dot * scale))
            }
            let maximum = scores.map(\.1).max()!
            let sum = scores.reduce(0.0) { $0 + exp($1.1 - maximum) }
            for (j, score) in scores { p[i * t + j] = exp(score - maximum) / sum }
            lse[i] = maximum + log(sum)
        }
        return (p, lse)
    }

    /// o [tokens, queryHeads, headDim] and lse [queryHeads, tokens].
    public static func forward(
        q: [Float], k: [Float], v: [Float], cuSeqlens: [Int32], shape: AttentionShape, scale: Double
    ) -> (o: [Double], lse: [Double]) {
        let t = shape.tokens, d = shape.headDim
        var o = [Double](repeating: 0, count: shape.queryCount)
        var lse = [Double](repeating: 0, count: t * shape.queryHeads)
        for head in 0..<shape.queryHeads {
            let kvHead = head / shape.groupSize
            let (p, rowLSE) = probabilities(q: q, k: k, cuSeqlens: cuSeqlens, shape: shape, scale: scale, head: head)
            for i in 0..<t {
                lse[head * t + i] = rowLSE[i]
                for j in 0...i where p[i * t + j] != 0 {
                    for x in 0..<d { o[(i * shape.queryHeads + head) * d + x] += p[i * t + j] * Double(v[(j * shape.kvHeads + kvHead) * d + x]) }
                }
            }
        }
        return (o, lse)
    }

    /// dq, dk, dv for output gradient dO: dP = dO V^T, dS = P * (dP - rowsum(P * dP)), dq = scale dS K,
    /// dk = scale dS^T Q, dv = P^T dO (dk, dv summed over the query heads of each group).
    public static func backward(
        dO: [Float], q: [Float], k: [Float], v: [Float], cuSeqlens: [Int32], shape: AttentionShape, scale: Double
    ) -> (dq: [Double], dk: [Double], dv: [Double]) {
        let t = shape.tokens, d = shape.headDim
        var dq = [Double](repeating: 0, count: shape.queryCount)
        var dk = [Double](repeating: 0, count: shape.kvCount)
        var dv = [Double](repeating: 0, count: shape.kvCount)
        func qAt(_ i: Int, _ h: Int, _ x: Int) -> Int { (i * shape.queryHeads + h) * d + x }
        func kvAt(_ j: Int, _ g: Int, _ x: Int) -> Int { (j * shape.kvHeads + g) * d + x }
        for head in 0..<shape.queryHeads {
            let g = head / shape.groupSize
            let (p, _) = probabilities(q: q, k: k, cuSeqlens: cuSeqlens, shape: shape, scale: scale, head: head)
            for i in 0..<t {
                var dP = [Double](repeating: 0, count: i + 1)
                var rowTerm = 0.0
                for j in 0...i where p[i * t + j] != 0 {
                    for x in 0..<d { dP[j] += Double(dO[qAt(i, head, x)]) * Double(v[kvAt(j, g, x)]) }
                    rowTerm += p[i * t + j] * dP[j]
                }
                for j in 0...i where p[i * t + j] != 0 {
                    let dS = p[i * t + j] * (dP[j] - rowTerm)
                    for x in 0..<d {
                        dq[qAt(i, head, x)] += scale * dS * Double(k[kvAt(j, g, x)])
                        dk[kvAt(j, g, x)] += scale * dS * Double(q[qAt(i, head, x)])
                        dv[kvAt(j, g, x)] += p[i * t + j] * Double(dO[qAt(i, head, x)])
                    }
                }
            }
        }
        return (dq, dk, dv)
    }

    private static func documentIndex(cuSeqlens: [Int32], tokens: Int) -> [Int] {
        var index = [Int](repeating: 0, count: tokens)
        for document in 0..<cuSeqlens.count - 1 {
            for token in Int(cuSeqlens[document])..<Int(cuSeqlens[document + 1]) { index[token] = document }
        }
        return index
    }
}
