import XCTest
@testable import Tensor

final class EmbeddingTests: XCTestCase {
    let device = TestSupport.device

    func testGatherAndScatterAdd() {
        var random = SeededRandom(8)
        let (vocab, dim) = (11, 70)  // 70: column chunks of 64 plus a remainder
        let table = random.floats(vocab * dim)
        let ids: [Int32] = [3, 0, 10, 3, 7, 3]
        let tTable = Tensor(table, shape: [vocab, dim], on: device)
        let out = Tensor.uninitialized([ids.count, dim], on: device)
        device.embeddingForward(table: tTable, ids: ids, into: out)
        XCTAssertEqual(out.floats(), ids.flatMap { table[Int($0) * dim..<(Int($0) + 1) * dim] })

        // Backward: the gradient of sum(out * r) with respect to the table (repeated id 3 sums three rows).
        let r = random.floats(ids.count * dim)
        let dTable = Tensor.zeros([vocab, dim], on: device)
        device.embeddingBackward(dOut: Tensor(r, shape: [ids.count, dim], on: device), ids: ids, accumulateInto: dTable)
        func forward(_ table: [Double]) -> [Double] { ids.flatMap { table[Int($0) * dim..<(Int($0) + 1) * dim] } }
        assertClose(dTable.floats(), numericGradient(at: table.doubles, weights: r.doubles, forward), atol: 1e-5, rtol: 1e-5, "dTable")
    }

    func testUInt32IdsAndHalfTable() {
        let table = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2], dtype: .bf16, on: device)
        let out = Tensor.uninitialized([2, 2], on: device)
        device.embeddingForward(table: table, ids: [UInt32(2), 0], into: out)
        XCTAssertEqual(out.floats(), [5, 6, 1, 2])
    }
}
