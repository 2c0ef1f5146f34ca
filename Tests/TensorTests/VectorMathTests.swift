import XCTest
@testable import Tensor

/// The vector exp (softmax, SiLU) and square root (AdamW) that replace libm calls lane by lane.
final class VectorMathTests: XCTestCase {
    func testExpAccuracy() {
        // Within 2.5e-7 relative (about 2 ulp) over the whole finite range.
        var x: Float = -87
        while x < 88 {
            let v = expScalar(x)
            XCTAssertEqual(Double(v), exp(Double(x)), accuracy: exp(Double(x)) * 2.5e-7, "exp(\(x))")
            x += 0.37
        }
        XCTAssertEqual(expScalar(-200), 0)
        XCTAssertEqual(expScalar(100), .infinity)
        XCTAssertEqual(expScalar(-.infinity), 0)
        XCTAssertEqual(expScalar(0), 1)
    }

    func testSquareRootAccuracy() {
        var x: Float = 1e-37
        while x < 1e37 {
            let root = squareRootVec(Vec(repeating: x))[0]
            XCTAssertEqual(Double(root), Double(x).squareRoot(), accuracy: Double(x).squareRoot() * 2.5e-7, "sqrt(\(x))")
            x *= 1.37
        }
        XCTAssertEqual(squareRootVec(Vec(repeating: 0))[0], 0)
        XCTAssertEqual(squareRootVec(Vec(repeating: .infinity))[0], .infinity)
    }
}
