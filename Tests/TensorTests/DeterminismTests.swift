import XCTest
@testable import Tensor

/// The Swift kernels give bit-identical results with 1 and 3 threads; OpenBLAS's sgemm is reproducible for a
/// fixed thread count only (its single- and multi-threaded paths block the inner dimension differently).
final class DeterminismTests: XCTestCase {
    func testResultsDoNotDependOnThreadCount() throws {
        var random = SeededRandom(19)
        let (rows, dim, vocab) = (700, 96, 500)
        let x = random.floats(rows * dim), w = random.floats(dim), dOut = random.floats(rows * dim)
        let logits = random.floats(64 * vocab, scale: 6)
        let labels = (0..<64).map { _ in Int32(random.int(below: vocab)) }
        let ids = (0..<rows).map { _ in Int32(random.int(below: 50)) }
        let (tokens, hq, hkv, hd) = (80, 4, 2, 16)
        let q = random.floats(tokens * hq * hd), k = random.floats(tokens * hkv * hd), v = random.floats(tokens * hkv * hd)

        func everything(_ device: CPUDevice) -> [[Float]] {
            let tx = Tensor(x, shape: [rows, dim], on: device), tw = Tensor(w, shape: [dim], on: device)
            let out = Tensor.uninitialized([rows, dim], on: device), rstd = Tensor.uninitialized([rows], on: device)
            device.rmsNormForward(tx, weight: tw, epsilon: 1e-5, into: out, rstd: rstd)
            let dx = Tensor.zeros([rows, dim], on: device), dw = Tensor.zeros([dim], on: device)
            let td = Tensor(dOut, shape: [rows, dim], on: device)
            device.rmsNormBackward(dOut: td, x: tx, weight: tw, rstd: rstd, accumulateDX: dx, accumulateDWeight: dw)
            let db = Tensor.zeros([dim], on: device)
            device.accumulateBiasGradient(td, into: db)
            let dTable = Tensor.zeros([50, dim], on: device)
            device.embeddingBackward(dOut: td, ids: ids, accumulateInto: dTable)
            let tl = Tensor(logits, shape: [64, vocab], on: device)
            let loss = device.crossEntropy(logits: tl, labels: labels, gradScale: 0.01)
            let (ao, lse) = device.attentionForward(q: Tensor(q, shape: [tokens, hq, hd], on: device),
                                                    k: Tensor(k, shape: [tokens, hkv, hd], on: device),
                                                    v: Tensor(v, shape: [tokens, hkv, hd], on: device),
                                                    cuSeqlens: [0, 30, 80], scale: 0.25)
            let grads = device.attentionBackward(dOutput: ao, q: Tensor(q, shape: [tokens, hq, hd], on: device),
                                                 k: Tensor(k, shape: [tokens, hkv, hd], on: device),
                                                 v: Tensor(v, shape: [tokens, hkv, hd], on: device), output: ao,
                                                 lse: lse, cuSeqlens: [0, 30, 80], scale: 0.25)
            return [out.floats(), dx.floats(), dw.floats(), db.floats(), dTable.floats(), tl.floats(),
                    [Float(loss.lossSum)], [Float(device.sumOfSquares(td))], ao.floats(), grads.dq.floats(),
                    grads.dk.floats(), grads.dv.floats()]
        }
        let one = everything(try CPUDevice(threads: 1))
        let three = everything(try CPUDevice(threads: 3))
        BLAS.threadCount = TestSupport.device.threadCount
        for (i, (a, b)) in zip(one, three).enumerated() {
            XCTAssertNil(firstDifference(a, b), "result \(i) differs between 1 and 3 threads")
        }
    }

    func testMatmulRepeatsExactlyForAFixedThreadCount() {
        var random = SeededRandom(20)
        let device = TestSupport.device
        let a = Tensor(random.floats(300 * 500), shape: [300, 500], on: device)
        let b = Tensor(random.floats(200 * 500), shape: [200, 500], on: device)
        let first = device.matmul(a, b, transposeB: true).floats()
        for _ in 0..<3 { XCTAssertNil(firstDifference(first, device.matmul(a, b, transposeB: true).floats())) }
    }

    /// Index of the first element whose bits differ, or nil.
    func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
        if a.count != b.count { return min(a.count, b.count) }
        return a.indices.first { a[$0].bitPattern != b[$0].bitPattern }
    }
}
