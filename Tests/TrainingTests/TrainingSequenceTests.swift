import Corpus
import Training
import XCTest

final class TrainingSequenceTests: XCTestCase {
    private func sample(_ ids: [UInt32], spans: [UInt32]?, mask: [UInt8]? = nil) -> [String: MDSValue] {
        var s: [String: MDSValue] = ["input_ids": .uint32Array(ids), "domain": .string("books")]
        if let spans { s["indices"] = .uint32Array(spans, shape: [spans.count / 2, 2]) }
        if let mask { s["mask"] = .array(MDSArray(.uint8(mask), shape: [mask.count])) }
        return s
    }

    func testDocumentsAndTargets() throws {
        let s = try TrainingSequence(sample: sample([10, 11, 12, 20, 21, 30], spans: [0, 3, 3, 5, 5, 6]), location: "x",
                                     documentMasking: true, maxLength: 8, defaultDomain: "d")
        XCTAssertEqual(s.documentOffsets, [0, 3, 5, 6])
        // Next token inside each document; nothing across a boundary; nothing at the end.
        XCTAssertEqual(s.targets, [11, 12, -100, 21, -100, -100])
        XCTAssertEqual(s.validTargets, 3)
        XCTAssertEqual(s.domain, "books")
        XCTAssertEqual(s.attentionWork, 9 + 4 + 1)
        XCTAssertEqual(s.positions(restartPerDocument: false), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(s.positions(restartPerDocument: true), [0, 1, 2, 0, 1, 0])
    }

    func testWithoutMaskingOneDocument() throws {
        let s = try TrainingSequence(sample: sample([10, 11, 12, 20, 21], spans: [0, 3, 3, 5]), location: "x",
                                     documentMasking: false, maxLength: 8, defaultDomain: "d")
        XCTAssertEqual(s.documentOffsets, [0, 5])
        XCTAssertEqual(s.targets, [11, 12, 20, 21, -100])
    }

    func testGapsAreTheirOwnDocumentsAndUnsortedSpansAreFine() throws {
        let s = try TrainingSequence(sample: [1, 2, 3, 4, 5, 6, 7].withSpans([4, 6, 1, 3]), location: "x",
                                     documentMasking: true, maxLength: 8, defaultDomain: "d")
        XCTAssertEqual(s.documentOffsets, [0, 1, 3, 4, 6, 7])
    }

    func testSFTMaskKeepsOnlyResponseTargets() throws {
        let s = try TrainingSequence(sample: sample([1, 2, 3, 4, 5], spans: nil, mask: [0, 0, 1, 1, 0]), location: "x",
                                     documentMasking: true, maxLength: 8, defaultDomain: "d")
        XCTAssertEqual(s.targets, [-100, 3, 4, -100, -100])
        XCTAssertEqual(s.domain, "books")
    }

    func testBadSamplesNameTheSample() {
        func failure(_ s: [String: MDSValue], max: Int = 8) -> String {
            do {
                _ = try TrainingSequence(sample: s, location: "data/code: sample 7", documentMasking: true, maxLength: max, defaultDomain: "d")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(failure(["domain": .string("x")]), "data/code: sample 7: no input_ids array")
        XCTAssertEqual(failure(sample([1, 2, 3], spans: [0, 2, 2, 4])), "data/code: sample 7: indices span 1 (2, 4) is empty or outside 0..<3")
        XCTAssertEqual(failure(sample([1, 2, 3], spans: nil), max: 2), "data/code: sample 7: 3 tokens, longer than the stage's sequence_length 2")
        XCTAssertEqual(failure(sample([1], spans: nil)), "data/code: sample 7: 1 token(s): nothing to predict")
        XCTAssertEqual(failure(sample([1, 2, 3], spans: nil, mask: [1, 1])), "data/code: sample 7: mask is not an array of 3 values")
        XCTAssertEqual(failure(["input_ids": .int64Array([1, -2])]), "data/code: sample 7: input_ids[1] = -2 is not a token id")
    }

    func testStepOrderIsByAttentionWorkThenDrawOrder() throws {
        func seq(_ lengths: [Int], _ tag: String) -> TrainingSequence {
            var offsets: [Int32] = [0]
            for l in lengths { offsets.append(offsets.last! + Int32(l)) }
            let n = Int(offsets.last!)
            return TrainingSequence(tokens: Array(repeating: 1, count: n), documentOffsets: offsets,
                                    targets: Array(repeating: 1, count: n), domain: tag)
        }
        let ordered = orderedForStep([seq([4, 4], "a"), seq([8], "b"), seq([2, 6], "c"), seq([6, 2], "d")])
        XCTAssertEqual(ordered.map(\.domain), ["b", "c", "d", "a"])
    }
}

private extension Array where Element == UInt32 {
    func withSpans(_ spans: [UInt32]) -> [String: MDSValue] {
        ["input_ids": .uint32Array(self), "indices": .uint32Array(spans, shape: [spans.count / 2, 2])]
    }
}
