import XCTest
@testable import Tensor

/// RMSNorm forward/backward: torch fixture, Double reference, finite differences (f32: atol 1e-4, rtol 1e-3).
final class RMSNormTests: XCTestCase {
    let device = TestSupport.device

    func reference(_ x: [Double], _ w: [Double], rows: Int, dim: Int, eps: Double) -> [Double] {
        (0..<rows).flatMap { r -> [Double] in
            let row = x[r * dim..<(r + 1) * dim]
            let rstd = 1 / (row.reduce(0) { $0 + $1 * $1 } / Double(dim) + eps).squareRoot()
            return row.enumerated().map { w[$0.offset] * $0.element * rstd }
        }
    }

    func testMatchesTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("rmsnorm")
        let (rows, dim, eps) = (try f.int("rows"), try f.int("dim"), Float(try f.double("eps")))
        let x = Tensor(try f.floats("x"), shape: [rows, dim], on: device)
        let w = Tensor(try f.floats("weight"), shape: [dim], on: device)
        let out = Tensor.uninitialized([rows, dim], on: device), rstd = Tensor.uninitialized([rows], on: device)
        device.rmsNormForward(x, weight: w, epsilon: eps, into: out, rstd: rstd)
        assertClose(out.floats(), try f.floats("out"), atol: 1e-6, rtol: 1e-5, "out")
        let dx = Tensor.zeros([rows, dim], on: device), dw = Tensor.zeros([dim], on: device)
        device.rmsNormBackward(dOut: Tensor(try f.floats("dout"), shape: [rows, dim], on: device), x: x, weight: w,
                               rstd: rstd, accumulateDX: dx, accumulateDWeight: dw)
        assertClose(dx.floats(), try f.floats("dx"), atol: 1e-5, rtol: 1e-4, "dx")
        assertClose(dw.floats(), try f.floats("dweight"), atol: 1e-5, rtol: 1e-4, "dweight")
    }

    func testBackwardMatchesFiniteDifferencesAndAccumulates() {
        var random = SeededRandom(9)
        let (rows, dim, eps) = (3, 21, 1e-6)
        let x = random.floats(rows * dim), w = random.floats(dim), r = random.floats(rows * dim)
        let dx0 = random.floats(rows * dim), dw0 = random.floats(dim)
        let tx = Tensor(x, shape: [rows, dim], on: device), tw = Tensor(w, shape: [dim], on: device)
        let out = Tensor.uninitialized([rows, dim], on: device), rstd = Tensor.uninitialized([rows], on: device)
        device.rmsNormForward(tx, weight: tw, epsilon: Float(eps), into: out, rstd: rstd)
        assertClose(out.floats(), reference(x.doubles, w.doubles, rows: rows, dim: dim, eps: eps), atol: 1e-6, rtol: 1e-5, "forward")

        let dx = Tensor(dx0, shape: [rows, dim], on: device), dw = Tensor(dw0, shape: [dim], on: device)
        device.rmsNormBackward(dOut: Tensor(r, shape: [rows, dim], on: device), x: tx, weight: tw, rstd: rstd,
                               accumulateDX: dx, accumulateDWeight: dw)
        let (xd, wd) = (x.doubles, w.doubles)
        let gx = numericGradient(at: xd, weights: r.doubles) { reference($0, wd, rows: rows, dim: dim, eps: eps) }
        let gw = numericGradient(at: wd, weights: r.doubles) { reference(xd, $0, rows: rows, dim: dim, eps: eps) }
        assertClose(dx.floats(), zip(gx, dx0).map { $0 + Double($1) }, atol: 1e-4, rtol: 1e-3, "dx (accumulated)")
        assertClose(dw.floats(), zip(gw, dw0).map { $0 + Double($1) }, atol: 1e-4, rtol: 1e-3, "dweight (accumulated)")
    }

    func testWeightGradientOverManyRows() {
        // Many rows: the fixed-chunk reduction of dweight.
        var random = SeededRandom(10)
        let (rows, dim) = (2000, 48)
        let x = random.floats(rows * dim), r = random.floats(rows * dim)
        let tx = Tensor(x, shape: [rows, dim], on: device)
        let tw = Tensor([Float](repeating: 1, count: dim), shape: [dim], on: device)
        let out = Tensor.uninitialized([rows, dim], on: device), rstd = Tensor.uninitialized([rows], on: device)
        device.rmsNormForward(tx, weight: tw, epsilon: 1e-5, into: out, rstd: rstd)
        let dx = Tensor.zeros([rows, dim], on: device), dw = Tensor.zeros([dim], on: device)
        device.rmsNormBackward(dOut: Tensor(r, shape: [rows, dim], on: device), x: tx, weight: tw, rstd: rstd,
                               accumulateDX: dx, accumulateDWeight: dw)
        let normalized = reference(x.doubles, [Double](repeating: 1, count: dim), rows: rows, dim: dim, eps: 1e-5)
        let expected = (0..<dim).map { c in (0..<rows).reduce(0.0) { $0 + Double(r[$1 * dim + c]) * normalized[$1 * dim + c] } }
        assertClose(dw.floats(), expected, atol: 1e-4, rtol: 1e-5, "dweight")
    }
}
