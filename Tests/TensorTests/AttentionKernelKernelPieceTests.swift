import XCTest
@testable import Tensor

final class AttentionKernelKernelPieceTests: XCTestCase {
    /// 2^x within 3e-7 relative over [-125, 4] (softmax passes x <= 0), and 2^-126 for -inf.
    func testFastExp2() {
        var worst: Float = 0
        var x: Float = -125
        while x <= 4 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.000_9 })
            let fast = fastExp2(lanes)
            for lane in 0..<16 {
                let exact = Float(pow(2.0, Double(lanes[lane])))
                worst = max(worst, abs(fast[lane] - exact) / exact)
            }
            x += 0.0137
        }
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertEqual(fastExp2(SIMD16(repeating: -.infinity))[0], Float.leastNormalMagnitude)
    }

    /// Each product form the kernels use (plain rows, transposed, row remainders, 16-column remainders).
    func testMultiplyTileMatchesNaiveProduct() {
        var random = AttentionRandom(seed: 9)
        for (rows, columns, depth, transposed) in [(7, 80, 13, false), (64, 64, 64, true), (5, 16, 1, true), (9, 144, 40, false)] {
            let a = random.array(rows * depth), b = random.array(depth * columns)
            var c = random.array(rows * columns)
            let initial = c
            // Transposed: a holds A^T, [depth][rows].
            a.withUnsafeBufferPointer { a in
                let operand = transposed ? BroadcastOperand.transposed(a.baseAddress!, ld: rows) : .rows(a.baseAddress!, ld: depth)
                c.withUnsafeMutableBufferPointer { c in
                    multiplyTile(rows: rows, columns: columns, depth: depth, a: operand, b: b, ldb: columns, c: c.baseAddress!, ldc: columns, accumulate: true)
                }
            }
            for r in 0..<rows {
                for col in 0..<columns {
                    var expected = Double(initial[r * columns + col])
                    for p in 0..<depth {
                        let x = transposed ? a[p * rows + r] : a[r * depth + p]
                        expected += Double(x) * Double(b[p * columns + col])
                    }
                    XCTAssertEqual(Double(c[r * columns + col]), expected, accuracy: 1e-5, "\(rows)x\(columns)x\(depth)")
                }
            }
        }
    }

    func testChunkBoundariesBalanceWorkAndKeepFirstChunk() {
        for chunks in 1...4 {
            XCTAssertEqual(AttentionBackward.chunkBoundaries(tileCount: 1, chunks: chunks), [0] + Array(repeating: 1, count: chunks))
            for n in 2...300 {
                let boundaries = AttentionBackward.chunkBoundaries(tileCount: n, chunks: chunks)
                XCTAssertEqual(boundaries.count, chunks + 1)
                XCTAssertEqual(boundaries.first, 0)
                XCTAssertEqual(boundaries.last, n)
                XCTAssertGreaterThanOrEqual(boundaries[1], 1, "chunk 0 must not be empty")
                XCTAssertEqual(boundaries, boundaries.sorted())
                let total = n * (n + 1) / 2
                for chunk in 0..<chunks where n >= 4 * chunks {
                    let work = (boundaries[chunk]..<boundaries[chunk + 1]).reduce(0) { $0 + n - $1 }
                    XCTAssertLessThanOrEqual(abs(work * chunks - total), 2 * n * chunks, "n \(n) chunks \(chunks)")
                }
            }
        }
    }
}

/// The stand-in BLAS entry point (dropped when the kernels move into the main package) against a naive product.
final class AttentionKernelBLASShimTests: XCTestCase {
    func testRowMajorSgemmWithTransposedB() {
        var random = AttentionRandom(seed: 4)
        let m = 5, n = 7, k = 3
        let a = random.array(m * k), b = random.array(n * k)  // B stored [n][k], used transposed
        var c = random.array(m * n)
        let initial = c
        c.withUnsafeMutableBufferPointer { c in
            BLAS.sgemm(
                transA: false, transB: true, m: m, n: n, k: k, alpha: 2, a: a, lda: k, b: b, ldb: k, beta: 0.5,
                c: c.baseAddress!, ldc: n)
        }
        for i in 0..<m {
            for j in 0..<n {
                var expected = 0.5 * Double(initial[i * n + j])
                for p in 0..<k { expected += 2 * Double(a[i * k + p]) * Double(b[j * k + p]) }
                XCTAssertEqual(Double(c[i * n + j]), expected, accuracy: 1e-5)
            }
        }
    }
}
