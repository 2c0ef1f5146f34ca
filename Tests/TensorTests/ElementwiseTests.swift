import XCTest
@testable import Tensor

/// add, axpy, scale, sum of squares against Double; chunk boundaries and tails exercised by odd sizes.
final class ElementwiseTests: XCTestCase {
    let device = TestSupport.device
    let count = 70_001  // several parallel chunks plus a vector tail

    func testAddAxpyScale() {
        var random = SeededRandom(2)
        let a = random.floats(count), b = random.floats(count)
        let ta = Tensor(a, shape: [count], on: device), tb = Tensor(b, shape: [count], on: device)
        let out = Tensor.uninitialized([count], on: device)
        device.add(ta, tb, into: out)
        XCTAssertEqual(out.floats(), zip(a, b).map { $0 + $1 })
        device.add(ta, tb, into: ta)  // in place, as the residual add does
        XCTAssertEqual(ta.floats(), out.floats())

        device.axpy(-0.5, tb, out)
        assertClose(out.floats(), zip(a, b).map { Double($0) + Double($1) - 0.5 * Double($1) }, atol: 1e-6, rtol: 1e-6, "axpy")
        device.scale(tb, by: 3)
        XCTAssertEqual(tb.floats(), b.map { $0 * 3 })
    }

    func testSumOfSquares() {
        var random = SeededRandom(3)
        let a = random.floats(count, scale: 2)
        let expected = a.reduce(0.0) { $0 + Double($1) * Double($1) }
        let t = Tensor(a, shape: [count], on: device)
        XCTAssertEqual(device.sumOfSquares(t), expected, accuracy: expected * 1e-6)
    }
}
