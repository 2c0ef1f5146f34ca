import XCTest
@testable import Tensor

/// The backward against central differences of the f32 forward on a tiny case, loss = sum(o * dO).
/// Step 1e-2: f32 rounding of the loss (about 1e-7 relative) over 2e-2 plus the O(step^2) truncation error.
/// Tolerance 5e-4 of the largest gradient entry; measured 4.4e-5 (dk), 2.4e-5 (dq), 1.3e-6 (dv).
final class AttentionKernelFiniteDifferenceTests: XCTestCase {
    func testGradientsMatchCentralDifferences() {
        let problem = AttentionProblem(lengths: [2, 3, 1], queryHeads: 2, kvHeads: 1, headDim: 16, seed: 7)
        let (dq, dk, dv) = problem.backward(threads: 1)
        func loss(q: [Float], k: [Float], v: [Float]) -> Double {
            let (o, _) = VarlenAttention.forward(
                q: q, k: k, v: v, cuSeqlens: problem.cuSeqlens, shape: problem.shape, scale: problem.scale, threads: 1)
            return zip(o, problem.dO).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let step: Float = 1e-2
        func numeric(_ input: [Float], _ evaluate: ([Float]) -> Double) -> [Double] {
            (0..<input.count).map { index in
                var plus = input, minus = input
                plus[index] += step
                minus[index] -= step
                return (evaluate(plus) - evaluate(minus)) / Double(2 * step)
            }
        }
        let numericQ = numeric(problem.q) { loss(q: $0, k: problem.k, v: problem.v) }
        let numericK = numeric(problem.k) { loss(q: problem.q, k: $0, v: problem.v) }
        let numericV = numeric(problem.v) { loss(q: problem.q, k: problem.k, v: $0) }
        XCTAssertLessThan(relativeError(dq, numericQ), 5e-4, "dq")
        XCTAssertLessThan(relativeError(dk, numericK), 5e-4, "dk")
        XCTAssertLessThan(relativeError(dv, numericV), 5e-4, "dv")
    }
}
