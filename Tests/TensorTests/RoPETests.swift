import XCTest
@testable import Tensor

/// RoPE in rotate_half layout: transformers fixture (incl. attention scaling and large positions), Double
/// reference and finite differences (f32: atol 1e-4, rtol 1e-3).
final class RoPETests: XCTestCase {
    let device = TestSupport.device

    /// Angles as transformers computes them (f32 product), cos/sin in Double.
    func reference(_ x: [Double], positions: [Int32], invFreq: [Float], scaling: Double, heads: Int) -> [Double] {
        let half = invFreq.count, dim = 2 * half
        var out = x
        for t in positions.indices {
            for h in 0..<heads {
                let base = (t * heads + h) * dim
                for i in 0..<half {
                    let angle = Double(Float(positions[t]) * invFreq[i])
                    let (c, s) = (cos(angle) * scaling, sin(angle) * scaling)
                    out[base + i] = x[base + i] * c - x[base + half + i] * s
                    out[base + half + i] = x[base + half + i] * c + x[base + i] * s
                }
            }
        }
        return out
    }

    func testMatchesTransformers() throws {
        let f = try TestSupport.fixture("ops.json").object("rope")
        let (tokens, heads, dim) = (try f.int("tokens"), try f.int("heads"), try f.int("dim"))
        let table = device.rotaryTable(positions: try f.ints("positions").map(Int32.init),
                                       inverseFrequencies: try f.floats("inv_freq"),
                                       attentionScaling: Float(try f.double("attention_scaling")))
        let x = Tensor(try f.floats("x"), shape: [tokens, heads, dim], on: device)
        let out = Tensor.uninitialized([tokens, heads, dim], on: device)
        device.ropeForward(x, table: table, into: out)
        // Position 131071 has angles near 1.3e5 rad: cosf/sinf of glibc vs torch's SLEEF differ by an ulp there.
        assertClose(out.floats(), try f.floats("out"), atol: 2e-6, rtol: 1e-5, "out")
        let dx = Tensor.uninitialized([tokens, heads, dim], on: device)
        device.ropeBackward(dOut: Tensor(try f.floats("dout"), shape: [tokens, heads, dim], on: device), table: table, into: dx)
        assertClose(dx.floats(), try f.floats("dx"), atol: 2e-6, rtol: 1e-5, "dx")
        // In place.
        device.ropeForward(x, table: table, into: x)
        XCTAssertEqual(x.floats(), out.floats())
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(11)
        let (tokens, heads, dim) = (5, 2, 36)  // half 18: one vector and a tail
        let positions: [Int32] = [0, 3, 1, 500, 77]
        let invFreq = (0..<dim / 2).map { Float(1 / pow(500_000, Double(2 * $0) / Double(dim))) }
        let x = random.floats(tokens * heads * dim), r = random.floats(tokens * heads * dim)
        let table = device.rotaryTable(positions: positions, inverseFrequencies: invFreq, attentionScaling: 0.9)
        let out = Tensor.uninitialized([tokens, heads, dim], on: device)
        device.ropeForward(Tensor(x, shape: [tokens, heads, dim], on: device), table: table, into: out)
        func forward(_ x: [Double]) -> [Double] { reference(x, positions: positions, invFreq: invFreq, scaling: 0.9, heads: heads) }
        assertClose(out.floats(), forward(x.doubles), atol: 1e-6, rtol: 1e-5, "forward")
        let dx = Tensor.uninitialized([tokens, heads, dim], on: device)
        device.ropeBackward(dOut: Tensor(r, shape: [tokens, heads, dim], on: device), table: table, into: dx)
        assertClose(dx.floats(), numericGradient(at: x.doubles, weights: r.doubles, forward), atol: 1e-4, rtol: 1e-3, "dx")
    }
}
