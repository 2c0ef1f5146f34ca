import XCTest
@testable import Tensor

/// Tensor creation, read-back in every dtype, views, fill, copy/cast.
final class TensorBasicsTests: XCTestCase {
    let device = TestSupport.device

    func testRoundTripInEveryDType() {
        let values: [Float] = [0, 1, -2.5, 3.140625, 1e-3, 65504, -0.0]
        for dtype in DType.allCases {
            let t = Tensor(values, shape: [7], dtype: dtype, on: device)
            XCTAssertEqual(t.elementCount, 7)
            XCTAssertEqual(t.byteCount, 7 * dtype.byteSize)
            let expected = values.map { v -> Float in
                switch dtype {
                case .f32: v
                case .bf16: Float(bf16Bits: v.bf16Bits)
                case .f16: Float(Float16(v))
                }
            }
            XCTAssertEqual(t.floats(), expected, "\(dtype)")
        }
    }

    func testZerosAndShapes() {
        let t = Tensor.zeros([2, 3, 4], dtype: .bf16, on: device)
        XCTAssertEqual(t.shape, [2, 3, 4])
        XCTAssertEqual(t.matrixShape.rows, 6)
        XCTAssertEqual(t.matrixShape.columns, 4)
        XCTAssertEqual(t.floats(), [Float](repeating: 0, count: 24))
        XCTAssertEqual(Tensor.zeros([], on: device).elementCount, 1)
    }

    func testViewsShareStorage() {
        let t = Tensor((0..<12).map(Float.init), shape: [4, 3], on: device)
        let middle = t.rows(1..<3)
        XCTAssertEqual(middle.shape, [2, 3])
        XCTAssertEqual(middle.floats(), [3, 4, 5, 6, 7, 8])
        device.fill(middle, with: -1)
        XCTAssertEqual(t.floats(), [0, 1, 2, -1, -1, -1, -1, -1, -1, 9, 10, 11])
        XCTAssertEqual(t.reshaped([2, 6]).rows(1..<2).floats(), [-1, -1, -1, 9, 10, 11])
        XCTAssertTrue(t.flattened().isSameMemory(as: t))
        XCTAssertFalse(middle.isSameMemory(as: t))
    }

    func testFillAndCastEveryDType() {
        var random = SeededRandom(1)
        let values = random.floats(1000, scale: 50)
        for from in DType.allCases {
            let source = Tensor(values, shape: [10, 100], dtype: from, on: device)
            for to in DType.allCases {
                let cast = device.cast(source, to: to)
                XCTAssertEqual(cast.dtype, to)
                // Casting the decoded values on the host gives the same result.
                XCTAssertEqual(cast.bytes(), to.encode(source.floats()), "\(from) -> \(to)")
            }
            device.fill(source, with: 0.3)
            XCTAssertEqual(source.bytes(), from.encode([Float](repeating: 0.3, count: 1000)), "\(from) fill")
        }
    }

    func testBytesConstructor() {
        let bytes = DType.bf16.encode([1, 2, 3, 4])
        let t = bytes.withUnsafeBytes { Tensor(bytes: $0, shape: [2, 2], dtype: .bf16, on: device) }
        XCTAssertEqual(t.bytes(), bytes)
        XCTAssertEqual(t.floats(), [1, 2, 3, 4])
    }
}
