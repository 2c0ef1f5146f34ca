import Corpus
import XCTest

final class SequencePackerTests: XCTestCase {
    func collect(_ packer: inout SequencePacker, _ documents: [[UInt32]]) -> [PackedSequence] {
        var out: [PackedSequence] = []
        for d in documents { packer.add(d) { out.append($0); return true } }
        return out
    }

    func testPretrainCarriesTheRemainderIntoTheNextSequence() {
        var packer = SequencePacker(length: 4, mode: .pretrain)
        let out = collect(&packer, [[1, 2, 3], [4, 5, 6], [7]])
        XCTAssertEqual(out, [PackedSequence(tokens: [1, 2, 3, 4], spans: [0, 3, 3, 4])])
        XCTAssertEqual(packer.buffer, [5, 6, 7])
        XCTAssertEqual(packer.spans, [0, 2, 2, 3])
        XCTAssertEqual(packer.droppedTokens, 0)
    }

    func testSFTDropsTheRemainderOfTheOverflowingDocument() {
        var packer = SequencePacker(length: 4, mode: .sft)
        let out = collect(&packer, [[1, 2, 3], [4, 5, 6], [7, 8]])
        XCTAssertEqual(out.first, PackedSequence(tokens: [1, 2, 3, 4], spans: [0, 3, 3, 4]))
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(packer.droppedTokens, 2)  // 5, 6
        XCTAssertEqual(packer.buffer, [7, 8])
    }

    func testLongCutsPiecesAndDropsTheTail() {
        var packer = SequencePacker(length: 8, mode: .long, pieceLength: 4)
        let doc = (0..<19).map(UInt32.init)
        let out = collect(&packer, [doc])
        XCTAssertEqual(out.count, 2)
        XCTAssertEqual(out[0].spans, [0, 4, 4, 8])  // two pieces, each its own document span
        XCTAssertEqual(out[1].tokens, Array(8..<16))
        XCTAssertEqual(packer.droppedTokens, 3)
        XCTAssertTrue(packer.buffer.isEmpty)
    }

    func testStoppingMidDocumentReportsTheUnusedTokens() {
        var packer = SequencePacker(length: 4, mode: .pretrain)
        var emitted = 0
        let unused = packer.add(Array(0..<11)) { _ in emitted += 1; return emitted < 2 }
        XCTAssertEqual(emitted, 2)
        XCTAssertEqual(unused, 3)
    }

    /// Every token of every accepted document is in a sequence, dropped, or in the buffer.
    func testTokensAreConservedOnRandomDocuments() {
        var generator = SplitMix64(seed: 7)
        for mode in SequencePacker.Mode.allCases {
            var packer = SequencePacker(length: 64, mode: mode, pieceLength: mode == .long ? 16 : nil)
            var total = 0, placed = 0
            for _ in 0..<300 {
                let n = Int(generator.next(below: 150)) + 1
                total += n
                packer.add([UInt32](repeating: 1, count: n)) { sequence in
                    XCTAssertEqual(sequence.tokens.count, 64)
                    XCTAssertEqual(sequence.spans.first, 0)
                    XCTAssertEqual(sequence.spans.last, 64)
                    placed += 64
                    return true
                }
            }
            XCTAssertEqual(placed + packer.droppedTokens + packer.buffer.count, total, "\(mode)")
        }
    }
}
