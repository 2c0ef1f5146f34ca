import XCTest
@testable import Tensor

/// Packing is exact: tiles start at each document's first token and every sum runs in an order fixed by the
/// document alone, so each document of a packed sequence gets bitwise the result it gets when run by itself.
final class AttentionKernelDocumentMaskingTests: XCTestCase {
    func testPackedSequenceEqualsEachDocumentAlone() {
        let lengths = [1, 200, 37, 64, 129]
        let packed = AttentionProblem(lengths: lengths, queryHeads: 6, kvHeads: 2, headDim: 64, seed: 11)
        let (o, lse) = packed.forward()
        let (dq, dk, dv) = VarlenAttention.backward(
            dO: packed.dO, q: packed.q, k: packed.k, v: packed.v, o: o, lse: lse, cuSeqlens: packed.cuSeqlens,
            shape: packed.shape, scale: packed.scale)
        let shape = packed.shape, qRow = shape.queryHeads * shape.headDim, kvRow = shape.kvHeads * shape.headDim
        for (index, length) in lengths.enumerated() {
            let start = Int(packed.cuSeqlens[index])
            func rows(_ x: [Float], _ width: Int) -> [Float] { Array(x[start * width..<(start + length) * width]) }
            let alone = AttentionShape(tokens: length, queryHeads: shape.queryHeads, kvHeads: shape.kvHeads, headDim: shape.headDim)
            let single: [Int32] = [0, Int32(length)]
            let (q, k, v, dO) = (rows(packed.q, qRow), rows(packed.k, kvRow), rows(packed.v, kvRow), rows(packed.dO, qRow))
            let (oAlone, lseAlone) = VarlenAttention.forward(q: q, k: k, v: v, cuSeqlens: single, shape: alone, scale: packed.scale)
            let gradients = VarlenAttention.backward(
                dO: dO, q: q, k: k, v: v, o: oAlone, lse: lseAlone, cuSeqlens: single, shape: alone, scale: packed.scale)
            let packedLSE = (0..<shape.queryHeads).flatMap { h in lse[h * shape.tokens + start..<h * shape.tokens + start + length] }
            assertBitwiseEqual(rows(o, qRow), oAlone, "o of document \(index)")
            assertBitwiseEqual(packedLSE, lseAlone, "lse of document \(index)")
            assertBitwiseEqual(rows(dq, qRow), gradients.dq, "dq of document \(index)")
            assertBitwiseEqual(rows(dk, kvRow), gradients.dk, "dk of document \(index)")
            assertBitwiseEqual(rows(dv, kvRow), gradients.dv, "dv of document \(index)")
        }
    }

    /// A key changed in one document changes nothing in any other.
    func testNoAttentionAcrossBoundaries() {
        let problem = AttentionProblem(lengths: [90, 50], queryHeads: 2, kvHeads: 1, headDim: 16, seed: 5)
        var k = problem.k, v = problem.v
        for index in 0..<90 * 16 { k[index] += 3; v[index] -= 2 }
        let before: [Float] = problem.forward().o
        let after: [Float] = VarlenAttention.forward(
            q: problem.q, k: k, v: v, cuSeqlens: problem.cuSeqlens, shape: problem.shape, scale: problem.scale).o
        assertBitwiseEqual(Array(before[(90 * 32)...]), Array(after[(90 * 32)...]), "second document")
    }
}
