import Foundation
import XCTest
@testable import Tokenization

/// Deterministic PRNG for the property tests.
struct RegexTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class RegexPropertyTests: XCTestCase {
    static let alphabet: [String] = [
        "a", "b", "Z", "é", "e\u{301}", "ß", "ſ", "Σ", "ж", "ع", "ש", "न", "ि", "ก", "中", "文", "한", "あ", "ア", "ｱ",
        "0", "7", "٣", "５", "²", "Ⅻ", " ", " ", " ", "\t", "\n", "\r\n", "\r", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}",
        "\u{200B}", "\u{200D}", "'", "'s", "'LL", "'Re", ".", ",", "!", "/", "-", "_", "\"", "(", "😀", "👍🏽", "🇺🇸",
        "\u{1F468}\u{200D}\u{1F469}", "𝐀", "𠀀", "\u{E0041}", "\u{E000}", "\u{0}", "\u{1F}",
    ]

    static func randomText(_ rng: inout RegexTestRNG) -> String {
        let n = Int(rng.next() % 40)
        var s = ""
        for _ in 0..<n { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        return s
    }

    static let covering = [RegexSyntaxTests.gpt2, RegexSyntaxTests.cl100k, RegexSyntaxTests.qwen2, RegexSyntaxTests.o200k]
    static let others = [RegexSyntaxTests.deepseekMain, RegexSyntaxTests.deepseekDigits, RegexSyntaxTests.deepseekCJK,
                         RegexSyntaxTests.bert, "\\s+", "[^\\s]+", "\\p{N}", "\\d+", "a*", "(?=\\w)|\\s"]

    func testMatchesAreOrderedNonOverlappingOnScalarBoundaries() throws {
        var rng = RegexTestRNG(seed: 42)
        let patterns = try (Self.covering + Self.others).map { try PretokenPattern($0) }
        for _ in 0..<400 {
            let text = Self.randomText(&rng)
            let bytes = Array(text.utf8)
            var boundaries = Set<Int>()
            var off = 0
            for s in text.unicodeScalars { boundaries.insert(off); off += String(s).utf8.count }
            boundaries.insert(off)
            for (k, p) in patterns.enumerated() {
                let ms = p.matches(in: text)
                var prevEnd = 0
                var prevEmptyAt = -1
                for m in ms {
                    XCTAssertTrue(m.lowerBound >= prevEnd, "\(p.source) overlapping on \(text.debugDescription)")
                    XCTAssertTrue(m.lowerBound > prevEmptyAt, "\(p.source) repeated empty match on \(text.debugDescription)")
                    XCTAssertTrue(boundaries.contains(m.lowerBound) && boundaries.contains(m.upperBound),
                                  "\(p.source) splits a scalar on \(text.debugDescription)")
                    XCTAssertTrue(m.upperBound <= bytes.count)
                    if m.isEmpty { prevEmptyAt = m.lowerBound }
                    prevEnd = m.upperBound
                }
                if k < Self.covering.count {
                    // The tokenizer patterns split the whole input into non-empty pieces.
                    XCTAssertFalse(ms.contains { $0.isEmpty })
                    var covered = 0
                    for m in ms {
                        XCTAssertEqual(m.lowerBound, covered, "\(p.source) gap on \(text.debugDescription)")
                        covered = m.upperBound
                    }
                    XCTAssertEqual(covered, bytes.count, "\(p.source) does not cover \(text.debugDescription)")
                }
            }
        }
    }

    /// `forEachMatch` on a raw buffer and `matches(in:)` agree; compiling twice gives the same result.
    func testBufferAndStringAPIsAgree() throws {
        var rng = RegexTestRNG(seed: 7)
        for source in Self.covering {
            let p1 = try PretokenPattern(source)
            let p2 = try PretokenPattern(source)
            for _ in 0..<50 {
                let text = Self.randomText(&rng)
                var viaBuffer: [Range<Int>] = []
                Array(text.utf8).withUnsafeBufferPointer { buf in p1.forEachMatch(in: buf) { viaBuffer.append($0) } }
                XCTAssertEqual(viaBuffer, p2.matches(in: text))
            }
        }
    }

    // MARK: Linear time on pathological inputs (1 MB in debug builds)

    func testLongRunsAreLinear() throws {
        let size = 1 << 20
        let inputs: [(String, [UInt8])] = [
            ("spaces", [UInt8](repeating: 0x20, count: size)),
            ("spaces then letter", [UInt8](repeating: 0x20, count: size) + [0x61]),
            ("spaces then newline", [UInt8](repeating: 0x20, count: size) + [0x0A]),
            ("letters", [UInt8](repeating: 0x61, count: size)),
            ("upper then lower", [UInt8](repeating: 0x41, count: size) + [0x61]),
            ("digits", [UInt8](repeating: 0x39, count: size)),
            ("newlines", [UInt8](repeating: 0x0A, count: size)),
            ("crlf", Array(String(repeating: "\r\n", count: size / 2).utf8)),
            ("punct", [UInt8](repeating: 0x2E, count: size)),
            ("cjk", Array(String(repeating: "中", count: size / 3).utf8)),
            ("nbsp", Array(String(repeating: "\u{A0}", count: size / 2).utf8) + [0x61]),
        ]
        for source in Self.covering + [RegexSyntaxTests.deepseekMain, RegexSyntaxTests.bert] {
            let p = try PretokenPattern(source)
            for (name, input) in inputs {
                let start = ContinuousClock.now
                var count = 0
                var last = 0
                input.withUnsafeBufferPointer { buf in
                    p.forEachMatch(in: buf) { r in count += 1; last = r.upperBound }
                }
                let elapsed = ContinuousClock.now - start
                XCTAssertLessThan(elapsed, .seconds(5), "\(source) on \(name) took \(elapsed)")
                if Self.covering.contains(source) {
                    XCTAssertGreaterThan(count, 0)
                    XCTAssertEqual(last, input.count, "\(name)")
                }
            }
        }
    }

    func testHugeSpaceRunSplitsLikeReference() throws {
        // \s+(?!\S) leaves the last space for the following word.
        let p = try PretokenPattern(RegexSyntaxTests.gpt2)
        let text = String(repeating: " ", count: 100_000) + "word"
        XCTAssertEqual(p.matches(in: text), [0..<99_999, 99_999..<100_004])
    }
}
