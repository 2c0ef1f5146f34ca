import XCTest
@testable import Tokenization

/// The two merge strategies (linear scan for short words, heap for long ones) must agree, and both must
/// follow the reference rule: lowest rank first, leftmost among equals.
final class BPEMergeTests: XCTestCase {
    /// A toy byte-level vocabulary: all bytes, plus merges over a small alphabet.
    func makeModel() throws -> BPEModel {
        var vocab: [(String, TokenID)] = (0..<256).map { (ByteLevel.encode([UInt8($0)]), TokenID($0)) }
        let merges: [(String, String)] = [("a", "b"), ("ab", "c"), ("a", "a"), ("aa", "a"), ("b", "b"), ("c", "ab"),
                                          ("abc", "abc"), ("aa", "aa"), ("bb", "c")]
        var next = TokenID(256)
        for (l, r) in merges where !vocab.contains(where: { $0.0 == l + r }) {
            vocab.append((l + r, next))
            next += 1
        }
        return try BPEModel(file: "toy", alphabet: .bytes, vocab: vocab, merges: merges.map { MergeSpelling(left: $0.0, right: $0.1) }, unknownToken: nil,
                            fuseUnknown: false, byteFallback: false, ignoreMerges: false)
    }

    /// Textbook BPE, written as plainly as possible, as the oracle.
    func naive(_ word: [UInt8], _ model: BPEModel) -> [TokenID] {
        var symbols = word.map { TokenID(model.byteIDs[Int($0)]) }
        while symbols.count > 1 {
            var best: (rank: UInt64, at: Int)?
            for i in 0..<(symbols.count - 1) {
                if let m = model.merges.lookup(symbols[i], symbols[i + 1]), best == nil || m >> 32 < best!.rank {
                    best = (m >> 32, i)
                }
            }
            guard let (_, at) = best else { break }
            symbols[at] = TokenID(truncatingIfNeeded: model.merges.lookup(symbols[at], symbols[at + 1])!)
            symbols.remove(at: at + 1)
        }
        return symbols
    }

    func testScanAndHeapAgreeWithTextbookBPE() throws {
        let model = try makeModel()
        var rng = SystemRandomNumberGenerator()
        var workspace = BPEWorkspace()
        for length in [1, 2, 3, 5, 17, 47, 48, 49, 50, 120, 1000] {
            for _ in 0..<40 {
                let word = (0..<length).map { _ in Array("abcab".utf8).randomElement(using: &rng)! }
                var out: [TokenID] = []
                word.withUnsafeBufferPointer { model.encodeWord($0, into: &out, workspace: &workspace) }
                XCTAssertEqual(out, naive(word, model), String(decoding: word, as: UTF8.self))
            }
        }
    }

    func testLeftmostWinsAmongEqualRanks() throws {
        let model = try makeModel()
        var workspace = BPEWorkspace()
        var out: [TokenID] = []
        Array("aaa".utf8).withUnsafeBufferPointer { model.encodeWord($0, into: &out, workspace: &workspace) }
        // "aaa": merge (a,a) at 0 first, then (aa,a) -> "aaa" token.
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(model.tokens[Int(out[0])], "aaa")
    }
}
