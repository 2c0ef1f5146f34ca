import XCTest
@testable import Tensor

/// Matrix products (OpenBLAS) in every transpose form, alpha/beta, bf16/f16 storage, the linear layer and bias.
final class MatmulTests: XCTestCase {
    let device = TestSupport.device

    /// Naive Double c = alpha op(a) op(b) + beta c with a, b, c row-major as stored.
    func reference(_ a: [Double], _ b: [Double], _ c: [Double], m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                   alpha: Double, beta: Double) -> [Double] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j])
                }
                out[i * n + j] = alpha * sum + beta * c[i * n + j]
            }
        }
        return out
    }

    func testAllTransposesAlphaBeta() {
        var random = SeededRandom(4)
        let (m, n, k) = (5, 7, 9)
        for transA in [false, true] {
            for transB in [false, true] {
                let a = random.floats(m * k), b = random.floats(k * n), c = random.floats(m * n)
                let ta = Tensor(a, shape: transA ? [k, m] : [m, k], on: device)
                let tb = Tensor(b, shape: transB ? [n, k] : [k, n], on: device)
                let tc = Tensor(c, shape: [m, n], on: device)
                device.matmul(ta, transposeA: transA, tb, transposeB: transB, into: tc, alpha: 0.5, beta: 2)
                let expected = reference(a.doubles, b.doubles, c.doubles, m: m, n: n, k: k, transA: transA,
                                         transB: transB, alpha: 0.5, beta: 2)
                assertClose(tc.floats(), expected, atol: 1e-5, rtol: 1e-5, "transA \(transA) transB \(transB)")
            }
        }
    }

    /// bf16/f16 operands are converted to f32, multiplied in f32 and the result rounded once to the output
    /// dtype, so the error bound is one rounding of the output: 2^-8 relative for bf16, 2^-11 for f16.
    func testHalfPrecisionStorage() {
        var random = SeededRandom(5)
        let (m, n, k) = (6, 5, 33)
        for (dtype, rtol) in [(DType.bf16, 1.0 / 256), (DType.f16, 1.0 / 2048)] {
            let ta = Tensor(random.floats(m * k), shape: [m, k], dtype: dtype, on: device)
            let tb = Tensor(random.floats(n * k), shape: [n, k], dtype: dtype, on: device)
            let c0 = random.floats(m * n)
            let tc = Tensor(c0, shape: [m, n], dtype: dtype, on: device)
            let cRounded = tc.floats()
            device.matmul(ta, transposeA: false, tb, transposeB: true, into: tc, alpha: 1, beta: 1)
            let expected = reference(ta.floats().doubles, tb.floats().doubles, cRounded.doubles, m: m, n: n, k: k,
                                     transA: false, transB: true, alpha: 1, beta: 1)
            assertClose(tc.floats(), expected, atol: 1e-6, rtol: rtol, "\(dtype)")
            // Mixed: half inputs into an f32 output are exact up to f32 accumulation.
            let f32Out = device.matmul(ta, tb, transposeB: true)
            let exact = reference(ta.floats().doubles, tb.floats().doubles, [Double](repeating: 0, count: m * n), m: m,
                                  n: n, k: k, transA: false, transB: true, alpha: 1, beta: 0)
            assertClose(f32Out.floats(), exact, atol: 1e-5, rtol: 1e-5, "\(dtype) into f32")
        }
    }

    func testEmptyInnerDimensionScalesC() {
        let a = Tensor.zeros([3, 0], on: device), b = Tensor.zeros([0, 2], on: device)
        let c = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2], on: device)
        device.matmul(a, transposeA: false, b, transposeB: false, into: c, alpha: 1, beta: 0.5)
        XCTAssertEqual(c.floats(), [0.5, 1, 1.5, 2, 2.5, 3])
    }

    func testLinearMatchesTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("linear")
        let (tokens, fanIn, fanOut) = (try f.int("tokens"), try f.int("in"), try f.int("out"))
        let x = Tensor(try f.floats("x"), shape: [tokens, fanIn], on: device)
        let w = Tensor(try f.floats("weight"), shape: [fanOut, fanIn], on: device)
        let dy = Tensor(try f.floats("dy"), shape: [tokens, fanOut], on: device)
        let y = Tensor.uninitialized([tokens, fanOut], on: device)
        device.linearForward(x, weight: w, into: y)
        assertClose(y.floats(), try f.floats("y"), atol: 1e-5, rtol: 1e-5, "y")
        let dx = Tensor.uninitialized([tokens, fanIn], on: device)
        let dw = Tensor.zeros([fanOut, fanIn], on: device)
        device.linearBackward(dY: dy, x: x, weight: w, dX: dx, dWeight: dw)
        assertClose(dx.floats(), try f.floats("dx"), atol: 1e-5, rtol: 1e-5, "dx")
        assertClose(dw.floats(), try f.floats("dweight"), atol: 1e-5, rtol: 1e-5, "dweight")
        // dWeight and (when asked) dX accumulate.
        device.linearBackward(dY: dy, x: x, weight: w, dX: dx, accumulateDX: true, dWeight: dw)
        assertClose(dw.floats(), try f.doubles("dweight").map { 2 * $0 }, atol: 1e-5, rtol: 1e-5, "dweight twice")
        assertClose(dx.floats(), try f.doubles("dx").map { 2 * $0 }, atol: 1e-5, rtol: 1e-5, "dx twice")
    }

    /// Linear with bias, backward against central differences of the Double forward (f32: atol 1e-4, rtol 1e-3).
    func testLinearWithBiasBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(6)
        let (tokens, fanIn, fanOut) = (4, 6, 3)
        let x = random.floats(tokens * fanIn), w = random.floats(fanOut * fanIn), bias = random.floats(fanOut)
        let r = random.floats(tokens * fanOut)
        func forward(_ x: [Double], _ w: [Double], _ bias: [Double]) -> [Double] {
            (0..<tokens * fanOut).map { i in
                let (t, o) = (i / fanOut, i % fanOut)
                return (0..<fanIn).reduce(bias[o]) { $0 + x[t * fanIn + $1] * w[o * fanIn + $1] }
            }
        }
        let tx = Tensor(x, shape: [tokens, fanIn], on: device), tw = Tensor(w, shape: [fanOut, fanIn], on: device)
        let tb = Tensor(bias, shape: [fanOut], on: device)
        let y = Tensor.uninitialized([tokens, fanOut], on: device)
        device.linearForward(tx, weight: tw, bias: tb, into: y)
        assertClose(y.floats(), forward(x.doubles, w.doubles, bias.doubles), atol: 1e-5, rtol: 1e-5, "forward")

        let dx = Tensor.uninitialized([tokens, fanIn], on: device)
        let dw = Tensor.zeros([fanOut, fanIn], on: device), db = Tensor.zeros([fanOut], on: device)
        device.linearBackward(dY: Tensor(r, shape: [tokens, fanOut], on: device), x: tx, weight: tw, dX: dx,
                              dWeight: dw, dBias: db)
        let (xd, wd, bd, rd) = (x.doubles, w.doubles, bias.doubles, r.doubles)
        assertClose(dx.floats(), numericGradient(at: xd, weights: rd) { forward($0, wd, bd) }, atol: 1e-4, rtol: 1e-3, "dx")
        assertClose(dw.floats(), numericGradient(at: wd, weights: rd) { forward(xd, $0, bd) }, atol: 1e-4, rtol: 1e-3, "dw")
        assertClose(db.floats(), numericGradient(at: bd, weights: rd) { forward(xd, wd, $0) }, atol: 1e-4, rtol: 1e-3, "dbias")
    }

    func testBiasGradientOverManyRows() {
        // Enough rows for several fixed reduction chunks.
        var random = SeededRandom(7)
        let (rows, columns) = (3000, 37)
        let d = random.floats(rows * columns)
        let db = Tensor([Float](repeating: 1, count: columns), shape: [columns], on: device)
        device.accumulateBiasGradient(Tensor(d, shape: [rows, columns], on: device), into: db)
        let expected = (0..<columns).map { c in (0..<rows).reduce(1.0) { $0 + Double(d[$1 * columns + c]) } }
        assertClose(db.floats(), expected, atol: 1e-4, rtol: 1e-5, "dbias")
    }
}
