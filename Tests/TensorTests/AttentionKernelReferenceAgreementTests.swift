import XCTest
@testable import Tensor

/// The tiled kernels against the Double reference that materializes the masked softmax.
/// Tolerances, as max |error| / max |reference| per tensor: o 1e-6, lse 5e-7, dq/dk/dv 4e-6. Measured here:
/// o <= 2e-7, lse <= 1.1e-7, gradients <= 8e-7 (f32 dot products of length 32-128, 2^x with 2e-7 relative error).
final class AttentionKernelReferenceAgreementTests: XCTestCase {
    /// Uneven documents: lengths 1, tiles cut mid-document, a document longer than two tiles, an empty document;
    /// T = 333 is not a multiple of 64.
    static let lengths = [1, 70, 0, 5, 130, 64, 1, 62]

    func testForwardAndBackwardMatchReference() {
        let cases: [(queryHeads: Int, kvHeads: Int, headDim: Int)] = [(2, 2, 64), (3, 1, 64), (4, 1, 128), (8, 2, 32)]
        for (index, c) in cases.enumerated() {
            let problem = AttentionProblem(
                lengths: Self.lengths, queryHeads: c.queryHeads, kvHeads: c.kvHeads, headDim: c.headDim,
                seed: UInt64(index + 1))
            let label = "Hq \(c.queryHeads) Hkv \(c.kvHeads) D \(c.headDim)"
            let (o, lse) = problem.forward()
            let reference = AttentionReference.forward(
                q: problem.q, k: problem.k, v: problem.v, cuSeqlens: problem.cuSeqlens, shape: problem.shape,
                scale: Double(problem.scale))
            XCTAssertLessThan(relativeError(o, reference.o), 1e-6, "o, \(label)")
            XCTAssertLessThan(relativeError(lse, reference.lse), 5e-7, "lse, \(label)")

            let (dq, dk, dv) = VarlenAttention.backward(
                dO: problem.dO, q: problem.q, k: problem.k, v: problem.v, o: o, lse: lse,
                cuSeqlens: problem.cuSeqlens, shape: problem.shape, scale: problem.scale, threads: 2)
            let gradients = AttentionReference.backward(
                dO: problem.dO, q: problem.q, k: problem.k, v: problem.v, cuSeqlens: problem.cuSeqlens,
                shape: problem.shape, scale: Double(problem.scale))
            XCTAssertLessThan(relativeError(dq, gradients.dq), 4e-6, "dq, \(label)")
            XCTAssertLessThan(relativeError(dk, gradients.dk), 4e-6, "dk, \(label)")
            XCTAssertLessThan(relativeError(dv, gradients.dv), 4e-6, "dv, \(label)")
        }
    }
}

/// The dq reduction over key chunks, for every chunk count, against the reference.
final class AttentionKernelKeyChunkTests: XCTestCase {
    func testAnyKeyChunkCountMatchesReference() {
        let problem = AttentionProblem(lengths: [1, 330, 20, 129], queryHeads: 4, kvHeads: 2, headDim: 32, seed: 21)
        let (o, lse) = problem.forward()
        let reference = AttentionReference.backward(
            dO: problem.dO, q: problem.q, k: problem.k, v: problem.v, cuSeqlens: problem.cuSeqlens,
            shape: problem.shape, scale: Double(problem.scale))
        let tiles = DocumentTiles([Document](cuSeqlens: problem.cuSeqlens, tokens: problem.shape.tokens))
        for chunks in 1...5 {
            var dq = [Float](repeating: .nan, count: problem.shape.queryCount)
            var dk = [Float](repeating: .nan, count: problem.shape.kvCount), dv = dk
            var backward = AttentionBackward(
                shape: problem.shape, tiles: tiles, scale: problem.scale, pool: WorkerPool(workers: 2),
                workspace: AttentionWorkspace())
            backward.keyChunks = chunks
            backward.run(dO: problem.dO, q: problem.q, k: problem.k, v: problem.v, o: o, lse: lse, dq: &dq, dk: &dk, dv: &dv)
            XCTAssertLessThan(relativeError(dq, reference.dq), 4e-6, "dq, \(chunks) chunks")
            XCTAssertLessThan(relativeError(dk, reference.dk), 4e-6, "dk, \(chunks) chunks")
            XCTAssertLessThan(relativeError(dv, reference.dv), 4e-6, "dv, \(chunks) chunks")
        }
    }
}
