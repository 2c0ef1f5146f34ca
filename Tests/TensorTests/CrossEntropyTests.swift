import XCTest
@testable import Tensor

/// Blocked cross-entropy: torch fixture (ignored label, +1000 offset, dominant logit), Double reference and
/// finite differences (f32 gradient: atol 1e-5, rtol 1e-3; loss: relative 1e-6).
final class CrossEntropyTests: XCTestCase {
    let device = TestSupport.device

    func reference(_ logits: [Double], labels: [Int32], vocab: Int) -> Double {
        labels.enumerated().reduce(0.0) { sum, item in
            guard item.element != ignoreIndex else { return sum }
            let row = logits[item.offset * vocab..<(item.offset + 1) * vocab]
            let m = row.max()!
            return sum + m + log(row.reduce(0) { $0 + exp($1 - m) }) - row[row.startIndex + Int(item.element)]
        }
    }

    func testMatchesTorch() throws {
        let f = try TestSupport.fixture("ops.json").object("cross_entropy")
        let (n, vocab) = (try f.int("n"), try f.int("vocab"))
        let logits = Tensor(try f.floats("logits"), shape: [n, vocab], on: device)
        let result = device.crossEntropy(logits: logits, labels: try f.ints("labels").map(Int32.init),
                                         gradScale: Float(try f.double("grad_scale")))
        let expectedLoss = try f.double("loss_sum")
        XCTAssertEqual(result.lossSum, expectedLoss, accuracy: abs(expectedLoss) * 1e-6)
        XCTAssertEqual(result.validCount, try f.int("valid_count"))
        assertClose(logits.floats(), try f.floats("grad"), atol: 1e-7, rtol: 1e-4, "grad")
    }

    func testGradientMatchesFiniteDifferences() {
        var random = SeededRandom(13)
        let (n, vocab) = (4, 53)
        let logits = random.floats(n * vocab, scale: 5)
        let labels: [Int32] = [52, ignoreIndex, 0, 17]
        let scale: Float = 1.0 / 3
        let t = Tensor(logits, shape: [n, vocab], on: device)
        let result = device.crossEntropy(logits: t, labels: labels, gradScale: scale)
        let expected = reference(logits.doubles, labels: labels, vocab: vocab)
        XCTAssertEqual(result.lossSum, expected, accuracy: expected * 1e-6)
        XCTAssertEqual(result.validCount, 3)
        let numeric = numericGradient(at: logits.doubles, weights: [Double(scale)]) { [reference(($0), labels: labels, vocab: vocab)] }
        assertClose(t.floats(), numeric, atol: 1e-5, rtol: 1e-3, "dlogits")
        XCTAssertEqual(Array(t.floats()[vocab..<2 * vocab]), [Float](repeating: 0, count: vocab), "ignored row")
    }

    func testBlocksAddUpToTheWhole() {
        // The model runs the loss in blocks of rows; sums over blocks equal the one-shot result.
        var random = SeededRandom(14)
        let (n, vocab) = (40, 300)
        let logits = random.floats(n * vocab, scale: 8)
        let labels = (0..<n).map { $0 % 7 == 3 ? ignoreIndex : Int32(random.int(below: vocab)) }
        let whole = device.crossEntropy(logits: Tensor(logits, shape: [n, vocab], on: device), labels: labels, gradScale: 1)
        let blocked = Tensor(logits, shape: [n, vocab], on: device)
        var sum = 0.0, count = 0
        for start in stride(from: 0, to: n, by: 16) {
            let rows = start..<min(n, start + 16)
            let part = device.crossEntropy(logits: blocked.rows(rows), labels: Array(labels[rows]), gradScale: 1)
            sum += part.lossSum
            count += part.validCount
        }
        XCTAssertEqual(sum, whole.lossSum, accuracy: whole.lossSum * 1e-12)
        XCTAssertEqual(count, whole.validCount)
        XCTAssertEqual(sum, reference(logits.doubles, labels: labels, vocab: vocab), accuracy: whole.lossSum * 1e-6)
    }
}
