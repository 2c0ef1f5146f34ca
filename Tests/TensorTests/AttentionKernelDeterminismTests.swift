import XCTest
@testable import Tensor

/// Every output element has one writer and a fixed summation order, so the thread count cannot change a bit.
final class AttentionKernelDeterminismTests: XCTestCase {
    func testResultsAreBitwiseIdenticalForAnyThreadCount() {
        let problem = AttentionProblem(lengths: [200, 1, 70], queryHeads: 9, kvHeads: 3, headDim: 64, seed: 3)
        let oneForward = problem.forward(threads: 1), oneBackward = problem.backward(threads: 1)
        for threads in [2, 3] {
            let forward = problem.forward(threads: threads), backward = problem.backward(threads: threads)
            assertBitwiseEqual(forward.o, oneForward.o, "o, \(threads) threads")
            assertBitwiseEqual(forward.lse, oneForward.lse, "lse, \(threads) threads")
            assertBitwiseEqual(backward.dq, oneBackward.dq, "dq, \(threads) threads")
            assertBitwiseEqual(backward.dk, oneBackward.dk, "dk, \(threads) threads")
            assertBitwiseEqual(backward.dv, oneBackward.dv, "dv, \(threads) threads")
        }
    }
}

/// A workspace left full of another call's data gives the same bits as a fresh one.
final class AttentionKernelWorkspaceReuseTests: XCTestCase {
    func testReusedWorkspaceGivesIdenticalResults() {
        let workspace = AttentionWorkspace()
        let large = AttentionProblem(lengths: [400, 3], queryHeads: 4, kvHeads: 2, headDim: 64, seed: 13)
        let small = AttentionProblem(lengths: [70, 1, 100], queryHeads: 4, kvHeads: 2, headDim: 64, seed: 17)
        func run(_ problem: AttentionProblem, _ workspace: AttentionWorkspace) -> [[Float]] {
            var o = [Float](repeating: 0, count: problem.shape.queryCount)
            var lse = [Float](repeating: 0, count: problem.shape.tokens * problem.shape.queryHeads)
            var dq = o, dk = [Float](repeating: 0, count: problem.shape.kvCount), dv = dk
            VarlenAttention.forward(
                q: problem.q, k: problem.k, v: problem.v, cuSeqlens: problem.cuSeqlens, shape: problem.shape,
                scale: problem.scale, o: &o, lse: &lse, workspace: workspace)
            VarlenAttention.backward(
                dO: problem.dO, q: problem.q, k: problem.k, v: problem.v, o: o, lse: lse, cuSeqlens: problem.cuSeqlens,
                shape: problem.shape, scale: problem.scale, dq: &dq, dk: &dk, dv: &dv, workspace: workspace)
            return [o, lse, dq, dk, dv]
        }
        _ = run(large, workspace)
        let reused = run(small, workspace), fresh = run(small, AttentionWorkspace())
        for (index, name) in ["o", "lse", "dq", "dk", "dv"].enumerated() {
            assertBitwiseEqual(reused[index], fresh[index], name)
        }
        XCTAssertGreaterThan(workspace.capacity, 0)
        workspace.release()
        XCTAssertEqual(workspace.capacity, 0)
    }
}
