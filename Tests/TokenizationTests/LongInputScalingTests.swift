import XCTest
@testable import Tokenization

#if canImport(Glibc)
import Glibc
#endif

/// No quadratic behaviour: encoding time grows linearly with the document (a 10 MB single document,
/// one 1.2 MB word, and text dense with added-token prefixes). Ratios, not absolute times, so the test
/// holds on slow or busy machines: linear work scales ~10x from 1 MB to 10 MB, quadratic ~100x.
final class LongInputScalingTests: XCTestCase {
    func seconds(_ body: () -> Void) -> Double {
        var a = timespec(), b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        body()
        clock_gettime(CLOCK_MONOTONIC, &b)
        return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
    }

    /// Time for `size(n)` vs `size(scale * n)`; asserts the ratio stays far from quadratic.
    func assertLinear(_ name: String, _ tokenizer: Tokenizer, small: String, scale: Int,
                      file: StaticString = #filePath, line: UInt = #line) {
        let large = String(repeating: small, count: scale)
        var smallCount = 0, largeCount = 0
        let t1 = seconds { smallCount = tokenizer.encode(small).count }
        let t2 = seconds { largeCount = tokenizer.encode(large).count }
        XCTAssertGreaterThan(largeCount, smallCount * (scale - 1), name, file: file, line: line)
        let ratio = t2 / max(t1, 1e-4)
        XCTAssertLessThan(ratio, Double(scale) * 3, "\(name): \(scale)x input took \(ratio)x time", file: file, line: line)
    }

    func fixture(_ name: String) throws -> Tokenizer {
        try Tokenizer.load(path: TestPaths.fixtures + "/tokenizers/\(name)/tokenizer.json")
    }

    func testTenMegabyteDocument() throws {
        var unit = ""
        var rng = RegexTestRNG(seed: 42)
        while unit.utf8.count < 1_000_000 {
            unit += RoundTripPropertyTests.randomText(&rng) + " The quick brown fox, 1234; def f(x): return x\n"
        }
        assertLinear("gpt2-style 10 MB", try fixture("gpt2-style"), small: unit, scale: 10)
    }

    func testOneHugeWord() throws {
        // No spaces: one pre-token of 1.2 MB for byte-level BPE; SentencePiece without a pre-tokenizer
        // sees the whole text as one word either way.
        let word = String(repeating: "tokenization", count: 300_000 / 12)
        assertLinear("gpt2-style one word", try fixture("gpt2-style"), small: word, scale: 4)
        assertLinear("llama2-spm one word", try fixture("llama2-spm"), small: word + " with spaces ", scale: 4)
    }

    func testManyAddedTokenPrefixes() throws {
        // Near-misses of the 256 special tokens make the added-token matcher walk its trie at every '<'.
        let text = String(repeating: "<|reserved_special_token_1x <|begin_of_tex <|eot_id|>", count: 20_000)
        assertLinear("llama3-style added tokens", try fixture("llama3-style"), small: text, scale: 4)
    }
}
