import XCTest
@testable import Tensor

/// Varlen causal GQA attention: torch float64 fixture, Double reference with finite differences (f32: atol 1e-4,
/// rtol 1e-3), documents that never see each other, and rows longer than one key block (online softmax).
final class AttentionTests: XCTestCase {
    let device = TestSupport.device

    struct Problem {
        let tokens: Int, queryHeads: Int, kvHeads: Int, dim: Int
        let cuSeqlens: [Int32]
        var scale: Float { 1 / Float(dim).squareRoot() }
    }

    /// Output [T, Hq, D] and lse [Hq, T] in Double.
    func reference(_ p: Problem, _ q: [Double], _ k: [Double], _ v: [Double]) -> (out: [Double], lse: [Double]) {
        var out = [Double](repeating: 0, count: p.tokens * p.queryHeads * p.dim)
        var lse = [Double](repeating: 0, count: p.queryHeads * p.tokens)
        let group = p.queryHeads / p.kvHeads
        for (start, end) in zip(p.cuSeqlens, p.cuSeqlens.dropFirst()) {
            for h in 0..<p.queryHeads {
                let g = h / group
                for t in Int(start)..<Int(end) {
                    let scores = (Int(start)...t).map { j in
                        (0..<p.dim).reduce(0.0) { $0 + q[(t * p.queryHeads + h) * p.dim + $1] * k[(j * p.kvHeads + g) * p.dim + $1] } * Double(p.scale)
                    }
                    let m = scores.max()!
                    let sum = scores.reduce(0) { $0 + exp($1 - m) }
                    lse[h * p.tokens + t] = m + log(sum)
                    for (offset, s) in scores.enumerated() {
                        let j = Int(start) + offset, w = exp(s - m) / sum
                        for d in 0..<p.dim { out[(t * p.queryHeads + h) * p.dim + d] += w * v[(j * p.kvHeads + g) * p.dim + d] }
                    }
                }
            }
        }
        return (out, lse)
    }

    func run(_ p: Problem, _ q: [Float], _ k: [Float], _ v: [Float], _ dOut: [Float])
        -> (out: Tensor, lse: Tensor, dq: Tensor, dk: Tensor, dv: Tensor) {
        let tq = Tensor(q, shape: [p.tokens, p.queryHeads, p.dim], on: device)
        let tk = Tensor(k, shape: [p.tokens, p.kvHeads, p.dim], on: device)
        let tv = Tensor(v, shape: [p.tokens, p.kvHeads, p.dim], on: device)
        let (out, lse) = device.attentionForward(q: tq, k: tk, v: tv, cuSeqlens: p.cuSeqlens, scale: p.scale)
        let (dq, dk, dv) = device.attentionBackward(dOutput: Tensor(dOut, shape: tq.shape, on: device), q: tq, k: tk,
                                                    v: tv, output: out, lse: lse, cuSeqlens: p.cuSeqlens, scale: p.scale)
        return (out, lse, dq, dk, dv)
    }

    func testMatchesTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("attention")
        let p = Problem(tokens: try f.int("tokens"), queryHeads: try f.int("q_heads"), kvHeads: try f.int("kv_heads"),
                        dim: try f.int("dim"), cuSeqlens: try f.ints("cu_seqlens").map(Int32.init))
        XCTAssertEqual(Double(p.scale), try f.double("scale"), accuracy: 1e-7)
        let r = run(p, try f.floats("q"), try f.floats("k"), try f.floats("v"), try f.floats("dout"))
        assertClose(r.out.floats(), try f.floats("out"), atol: 1e-6, rtol: 1e-5, "out")
        assertClose(r.lse.floats(), try f.floats("lse"), atol: 1e-6, rtol: 1e-5, "lse")
        assertClose(r.dq.floats(), try f.floats("dq"), atol: 1e-5, rtol: 1e-4, "dq")
        assertClose(r.dk.floats(), try f.floats("dk"), atol: 1e-5, rtol: 1e-4, "dk")
        assertClose(r.dv.floats(), try f.floats("dv"), atol: 1e-5, rtol: 1e-4, "dv")
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(16)
        let p = Problem(tokens: 7, queryHeads: 4, kvHeads: 2, dim: 5, cuSeqlens: [0, 3, 7])
        let q = random.floats(7 * 4 * 5), k = random.floats(7 * 2 * 5), v = random.floats(7 * 2 * 5)
        let dOut = random.floats(7 * 4 * 5)
        let r = run(p, q, k, v, dOut)
        let (qd, kd, vd, w) = (q.doubles, k.doubles, v.doubles, dOut.doubles)
        let expected = reference(p, qd, kd, vd)
        assertClose(r.out.floats(), expected.out, atol: 1e-6, rtol: 1e-5, "out")
        assertClose(r.lse.floats(), expected.lse, atol: 1e-6, rtol: 1e-5, "lse")
        assertClose(r.dq.floats(), numericGradient(at: qd, weights: w) { self.reference(p, $0, kd, vd).out }, atol: 1e-4, rtol: 1e-3, "dq")
        assertClose(r.dk.floats(), numericGradient(at: kd, weights: w) { self.reference(p, qd, $0, vd).out }, atol: 1e-4, rtol: 1e-3, "dk")
        assertClose(r.dv.floats(), numericGradient(at: vd, weights: w) { self.reference(p, qd, kd, $0).out }, atol: 1e-4, rtol: 1e-3, "dv")
    }

    func testDocumentsAreIndependent() {
        // A packed sequence gives exactly what each document gives alone.
        var random = SeededRandom(17)
        let lengths = [5, 1, 9]
        let (hq, hkv, dim) = (2, 1, 16)
        let total = lengths.reduce(0, +)
        let q = random.floats(total * hq * dim), k = random.floats(total * hkv * dim)
        let v = random.floats(total * hkv * dim), dOut = random.floats(total * hq * dim)
        let packed = run(Problem(tokens: total, queryHeads: hq, kvHeads: hkv, dim: dim, cuSeqlens: [0, 5, 6, 15]), q, k, v, dOut)
        var start = 0
        for n in lengths {
            let rows = start..<start + n
            func slice(_ a: [Float], _ heads: Int) -> [Float] { Array(a[start * heads * dim..<(start + n) * heads * dim]) }
            let alone = run(Problem(tokens: n, queryHeads: hq, kvHeads: hkv, dim: dim, cuSeqlens: [0, Int32(n)]),
                            slice(q, hq), slice(k, hkv), slice(v, hkv), slice(dOut, hq))
            XCTAssertEqual(packed.out.rows(rows).floats(), alone.out.floats())
            XCTAssertEqual(packed.dq.rows(rows).floats(), alone.dq.floats())
            XCTAssertEqual(packed.dk.rows(rows).floats(), alone.dk.floats())
            XCTAssertEqual(packed.dv.rows(rows).floats(), alone.dv.floats())
            let packedLSE = packed.lse.floats(), aloneLSE = alone.lse.floats()
            for h in 0..<hq {
                XCTAssertEqual(Array(packedLSE[h * total + start..<h * total + start + n]), Array(aloneLSE[h * n..<(h + 1) * n]))
            }
            start += n
        }
    }

    func testRowsLongerThanOneKeyBlock() {
        // 150 tokens: rows span three 64-key blocks, so the running max and sum are rescaled. Backward is
        // checked by a directional derivative of the Double reference (f32: relative 1e-3).
        var random = SeededRandom(18)
        let p = Problem(tokens: 150, queryHeads: 2, kvHeads: 1, dim: 16, cuSeqlens: [0, 150])
        let q = random.floats(150 * 2 * 16, scale: 2), k = random.floats(150 * 16, scale: 2)
        let v = random.floats(150 * 16), dOut = random.floats(150 * 2 * 16)
        let r = run(p, q, k, v, dOut)
        let expected = reference(p, q.doubles, k.doubles, v.doubles)
        assertClose(r.out.floats(), expected.out, atol: 1e-5, rtol: 1e-4, "out")
        assertClose(r.lse.floats(), expected.lse, atol: 1e-5, rtol: 1e-5, "lse")
        let h = 1e-4
        for (name, grad) in [("q", r.dq), ("k", r.dk), ("v", r.dv)] {
            let direction = random.floats(grad.elementCount).doubles
            func loss(_ sign: Double) -> Double {
                var (qd, kd, vd) = (q.doubles, k.doubles, v.doubles)
                switch name {
                case "q": for i in qd.indices { qd[i] += sign * h * direction[i] }
                case "k": for i in kd.indices { kd[i] += sign * h * direction[i] }
                default: for i in vd.indices { vd[i] += sign * h * direction[i] }
                }
                return zip(reference(p, qd, kd, vd).out, dOut).reduce(0) { $0 + $1.0 * Double($1.1) }
            }
            let numeric = (loss(1) - loss(-1)) / (2 * h)
            let analytic = zip(grad.floats(), direction).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            XCTAssertEqual(analytic, numeric, accuracy: abs(numeric) * 1e-3 + 1e-4, "d\(name) along a random direction")
        }
    }
}
