import XCTest
@testable import Tensor

/// silu(gate) * up: torch fixture (incl. saturated gates), Double reference, finite differences
/// (f32: atol 1e-4, rtol 1e-3).
final class SwiGLUTests: XCTestCase {
    let device = TestSupport.device

    func testMatchesTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("swiglu")
        let shape = [try f.int("rows"), try f.int("dim")]
        let gate = Tensor(try f.floats("gate"), shape: shape, on: device)
        let up = Tensor(try f.floats("up"), shape: shape, on: device)
        let out = Tensor.uninitialized(shape, on: device)
        device.swigluForward(gate: gate, up: up, into: out)
        assertClose(out.floats(), try f.floats("out"), atol: 1e-6, rtol: 2e-6, "out")
        let dGate = Tensor.uninitialized(shape, on: device), dUp = Tensor.uninitialized(shape, on: device)
        device.swigluBackward(dOut: Tensor(try f.floats("dout"), shape: shape, on: device), gate: gate, up: up,
                              dGate: dGate, dUp: dUp)
        assertClose(dGate.floats(), try f.floats("dgate"), atol: 1e-6, rtol: 2e-6, "dgate")
        assertClose(dUp.floats(), try f.floats("dup"), atol: 1e-6, rtol: 2e-6, "dup")
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(12)
        let count = 37
        let gate = random.floats(count, scale: 4), up = random.floats(count), r = random.floats(count)
        func forward(_ g: [Double], _ u: [Double]) -> [Double] { zip(g, u).map { $0 / (1 + exp(-$0)) * $1 } }
        let tg = Tensor(gate, shape: [count], on: device), tu = Tensor(up, shape: [count], on: device)
        let out = Tensor.uninitialized([count], on: device)
        device.swigluForward(gate: tg, up: tu, into: out)
        assertClose(out.floats(), forward(gate.doubles, up.doubles), atol: 1e-6, rtol: 1e-5, "forward")
        let dGate = Tensor.uninitialized([count], on: device), dUp = Tensor.uninitialized([count], on: device)
        device.swigluBackward(dOut: Tensor(r, shape: [count], on: device), gate: tg, up: tu, dGate: dGate, dUp: dUp)
        let (gd, ud) = (gate.doubles, up.doubles)
        assertClose(dGate.floats(), numericGradient(at: gd, weights: r.doubles) { forward($0, ud) }, atol: 1e-4, rtol: 1e-3, "dgate")
        assertClose(dUp.floats(), numericGradient(at: ud, weights: r.doubles) { forward(gd, $0) }, atol: 1e-4, rtol: 1e-3, "dup")
    }
}
