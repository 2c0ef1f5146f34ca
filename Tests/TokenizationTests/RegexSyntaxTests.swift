import Foundation
import XCTest
@testable import Tokenization

/// Matched substrings, for readable assertions.
func regexTestPieces(_ pattern: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    do {
        let p = try PretokenPattern(pattern)
        let bytes = Array(text.utf8)
        return p.matches(in: text).map { String(decoding: bytes[$0], as: UTF8.self) }
    } catch {
        XCTFail("pattern \(pattern.debugDescription) failed to compile: \(error)", file: file, line: line)
        return []
    }
}

final class RegexSyntaxTests: XCTestCase {
    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let cl100k = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let o200k = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let deepseekDigits = #"\p{N}{1,3}"#
    static let deepseekCJK = #"[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"#
    static let deepseekCJKLiteral = "[\u{4e00}-\u{9fa5}\u{3040}-\u{309f}\u{30a0}-\u{30ff}]+"
    static let deepseekMain = ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    static let bert = #"\w+|[^\w\s]+"#

    // MARK: Errors

    func assertError(_ pattern: String, offset: Int, contains fragment: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try PretokenPattern(pattern)
            XCTFail("expected \(pattern.debugDescription) to fail", file: file, line: line)
        } catch {
            XCTAssertEqual(error.offset, offset, "\(pattern.debugDescription): \(error.message)", file: file, line: line)
            XCTAssertEqual(error.pattern, pattern, file: file, line: line)
            if let fragment {
                XCTAssertTrue(error.message.contains(fragment), "\(error.message)", file: file, line: line)
            }
            XCTAssertTrue(error.description.contains(error.message), file: file, line: line)
        }
    }

    func testUnbalancedParentheses() {
        assertError("(a", offset: 0, contains: "missing )")
        assertError("ab(c|d", offset: 2, contains: "missing )")
        assertError("(?:a(b)", offset: 0, contains: "missing )")
        assertError("a)", offset: 1, contains: "unbalanced")
        assertError("(a))", offset: 3, contains: "unbalanced")
        assertError("(?=a", offset: 0)
        assertError("(?i", offset: 0)
    }

    func testBadClasses() {
        assertError("[abc", offset: 0, contains: "unterminated")
        assertError("x[^", offset: 1, contains: "unterminated")
        assertError("[]", offset: 0, contains: "unterminated")  // ']' first is a literal
        assertError("[z-a]", offset: 1, contains: "range")
        assertError("ab[\\d-z]", offset: 3, contains: "range")
        assertError("[a-\\s]", offset: 1, contains: "range")
        assertError("[[:alpha:]]", offset: 1, contains: "POSIX")
        assertError("[\\A]", offset: 1, contains: "escape")
    }

    func testBadQuantifiers() {
        assertError("*a", offset: 0, contains: "nothing to repeat")
        assertError("a|+", offset: 2, contains: "nothing to repeat")
        assertError("(?:?)", offset: 3, contains: "nothing to repeat")
        assertError("{2}", offset: 0, contains: "nothing to repeat")
        assertError("a**", offset: 2, contains: "multiple repeat")
        assertError("a{2}{3}", offset: 4, contains: "multiple repeat")
        assertError("ab{3,2}", offset: 2, contains: "min repeat greater than max")
        assertError("a{1000000}", offset: 1, contains: "too large")
    }

    func testBadEscapes() {
        assertError("a\\", offset: 1, contains: "end of pattern")
        assertError("\\q", offset: 0, contains: "bad escape")
        assertError("ab\\1", offset: 2, contains: "backreference")
        assertError("\\p{Foo}", offset: 0, contains: "unknown property")
        assertError("x\\P{Bogus_Category}", offset: 1, contains: "unknown property")
        assertError("\\p{L", offset: 0)
        assertError("\\x{110000}", offset: 0)
        assertError("\\u12", offset: 0, contains: "hexadecimal")
        assertError("(?<=a+)b", offset: 0, contains: "lookbehind")
        assertError("(?z)", offset: 2, contains: "flag")
    }

    func testLiteralBraces() {
        XCTAssertEqual(regexTestPieces("x{", "x{x"), ["x{"])
        XCTAssertEqual(regexTestPieces("{", "a{b}"), ["{"])
        XCTAssertEqual(regexTestPieces("a{,2}", "aaa"), ["aa", "a", ""])
        XCTAssertEqual(regexTestPieces("}|]", "}]"), ["}", "]"])
        XCTAssertEqual(regexTestPieces("[]a]+", "a]]b"), ["a]]"])
        XCTAssertEqual(regexTestPieces("x{2,}", "xxxxx x"), ["xxxxx"])
    }

    // MARK: Syntax coverage

    func testEscapes() {
        XCTAssertEqual(regexTestPieces(#"\x41\x{1F600}\u00e9\U0001F44D"#, "xA😀é👍"), ["A😀é👍"])
        XCTAssertEqual(regexTestPieces(#"[\t\n\r\f\v]+"#, "a\t\n\r\u{0C}\u{0B}b"), ["\t\n\r\u{0C}\u{0B}"])
        XCTAssertEqual(regexTestPieces(##"\-\[\]\.\'\\\/\"\ \#"##, ##"x-[].'\/" #"##), [##"-[].'\/" #"##])
        XCTAssertEqual(regexTestPieces(#"[\-\[\]\\.]+"#, #"a-[]\.b"#), [#"-[]\."#])
        XCTAssertEqual(regexTestPieces(#"\0"#, "a\u{0}"), ["\u{0}"])
        XCTAssertEqual(regexTestPieces("\\a\\e", "\u{07}\u{1B}"), ["\u{07}\u{1B}"])
    }

    func testDotAndAnchors() {
        XCTAssertEqual(regexTestPieces(".+", "ab\ncd\r\n"), ["ab", "cd\r"])
        XCTAssertEqual(regexTestPieces("(?s).+", "ab\ncd"), ["ab\ncd"])
        XCTAssertEqual(regexTestPieces("^a", "aaa"), ["a"])
        XCTAssertEqual(regexTestPieces("\\Aa|b\\z", "abab"), ["a", "b"])
        XCTAssertEqual(regexTestPieces("a$", "aa\n"), ["a"])
        XCTAssertEqual(regexTestPieces("(?m)^a|a$", "ab\nab\nba"), ["a", "a", "a"])
        XCTAssertEqual(regexTestPieces("\\bfoo\\b", "foo foobar barfoo foo."), ["foo", "foo"])
        XCTAssertEqual(regexTestPieces("\\Bo\\B", "foo boot"), ["o", "o", "o"])
    }

    func testCaseInsensitive() {
        XCTAssertEqual(regexTestPieces("(?i:'s|'ll)", "'S 'LL 'lL 's"), ["'S", "'LL", "'lL", "'s"])
        XCTAssertEqual(regexTestPieces("(?i)ab", "AB aB Ab ab"), ["AB", "aB", "Ab", "ab"])
        XCTAssertEqual(regexTestPieces("a(?i)b|c", "aB C"), ["aB", "C"])
        XCTAssertEqual(regexTestPieces("(?:(?i)a)b", "Ab AB"), ["Ab"])
        XCTAssertEqual(regexTestPieces("(?i:a(?-i:b))", "Ab AB"), ["Ab"])
        // Simple case folding: long s and Kelvin sign fold to s / k; sharp s with capital sharp s.
        XCTAssertEqual(regexTestPieces("(?i:s)", "sSſ"), ["s", "S", "ſ"])
        XCTAssertEqual(regexTestPieces("(?i:k)", "kK\u{212A}"), ["k", "K", "\u{212A}"])
        XCTAssertEqual(regexTestPieces("(?i:ß)", "ẞß"), ["ẞ", "ß"])
        XCTAssertEqual(regexTestPieces("(?i:ǅ)", "ǄǅǆDž"), ["Ǆ", "ǅ", "ǆ"])
        XCTAssertEqual(regexTestPieces("(?i)[a-c]+", "xABCabc\u{212A}"), ["ABCabc"])
        XCTAssertEqual(regexTestPieces("(?i)[^k]+", "ak\u{212A}K"), ["a"])
        XCTAssertEqual(regexTestPieces("(?i)σ+", "σΣς"), ["σΣς"])
        // Like Python's regex module: under (?i) \p{Lu} / \p{Ll} match any cased letter.
        XCTAssertEqual(regexTestPieces("(?i)\\p{Lu}+", "aBc1"), ["aBc"])
        // Known divergence from Python's regex module: U+0130 does not fold to 'i'.
        XCTAssertEqual(regexTestPieces("(?i:i)", "iIİı"), ["i", "I"])
    }

    func testQuantifiers() {
        XCTAssertEqual(regexTestPieces("a{2}", "aaaaa"), ["aa", "aa"])
        XCTAssertEqual(regexTestPieces("a{2,3}", "aaaaaaa"), ["aaa", "aaa"])
        XCTAssertEqual(regexTestPieces("a{2,3}?", "aaaaa"), ["aa", "aa"])
        XCTAssertEqual(regexTestPieces("<.+?>", "<a><bb>"), ["<a>", "<bb>"])
        XCTAssertEqual(regexTestPieces("<.*>", "<a><bb>"), ["<a><bb>"])
        XCTAssertEqual(regexTestPieces("a??b", "ab b"), ["ab", "b"])
        XCTAssertEqual(regexTestPieces("a*+a|b", "aaab"), ["b"])
        XCTAssertEqual(regexTestPieces("a++|.", "aab"), ["aa", "b"])
        XCTAssertEqual(regexTestPieces("(?:ab)+", "abababa"), ["ababab"])
        XCTAssertEqual(regexTestPieces("(?:ab){2,}", "ab abab ababab"), ["abab", "ababab"])
        XCTAssertEqual(regexTestPieces("(?:a|ab)(?:c|bcd)", "abcd"), ["abcd"])
        XCTAssertEqual(regexTestPieces("(?:a|)*b", "aab"), ["aab"])
        XCTAssertEqual(regexTestPieces("(?:x?)*y", "xxy"), ["xxy"])
        XCTAssertEqual(regexTestPieces("(?>a+)b|a+", "aaa"), ["aaa"])
        XCTAssertEqual(regexTestPieces("(?>a|ab)c|.", "abc"), ["a", "b", "c"])
    }

    func testLookaround() {
        XCTAssertEqual(regexTestPieces("\\w+(?=!)", "hi! yo"), ["hi"])
        XCTAssertEqual(regexTestPieces("\\d+(?!\\d|\\.)", "12.5 33"), ["5", "33"])
        XCTAssertEqual(regexTestPieces("(?<=\\$)\\d+", "$12 34 $5"), ["12", "5"])
        XCTAssertEqual(regexTestPieces("(?<!\\$)\\b\\d+", "$12 34 $5"), ["34"])
        XCTAssertEqual(regexTestPieces("(?<=ab|c)x", "abx cx bx"), ["x", "x"])
        XCTAssertEqual(regexTestPieces("\\s+(?!\\S)|\\s+", "a   b  "), ["  ", " ", "  "])
        XCTAssertEqual(regexTestPieces("(?=a)", "aba"), ["", ""])
    }

    func testClassesAndProperties() {
        XCTAssertEqual(regexTestPieces("\\p{L}+", "héllo wörld ПРИВЕТ 你好"), ["héllo", "wörld", "ПРИВЕТ", "你好"])
        XCTAssertEqual(regexTestPieces("\\pL+|\\pN+", "ab12"), ["ab", "12"])
        XCTAssertEqual(regexTestPieces("\\P{L}+", "ab12 cd"), ["12 "])
        XCTAssertEqual(regexTestPieces("\\p{^L}+", "ab12 cd"), ["12 "])
        XCTAssertEqual(regexTestPieces("[\\p{Lu}\\p{Nd}]+", "aB1c٣"), ["B1", "٣"])
        XCTAssertEqual(regexTestPieces("\\p{Letter}+|\\p{Decimal_Number}+|\\p{White_Space}+", "ab 12"), ["ab", " ", "12"])
        XCTAssertEqual(regexTestPieces("\\d+", "12٣٤५ ²"), ["12٣٤५"])
        XCTAssertEqual(regexTestPieces("\\s+", "a \t\n\u{0B}\u{0C}\r\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}b\u{200B}\u{1C}"),
                       [" \t\n\u{0B}\u{0C}\r\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}"])
        // \w: Alphabetic + marks + Nd + Pc + Join_Control.
        XCTAssertEqual(regexTestPieces("\\w+", "a_1Ⓐ\u{200D}é\u{301}Ⅻ ²½"), ["a_1Ⓐ\u{200D}é\u{301}Ⅻ"])
        XCTAssertEqual(regexTestPieces("[^\\w\\s]+", "a,b ²½!"), [",", "²½!"])
        XCTAssertEqual(regexTestPieces("[\\W\\d]+", "ab1,c"), ["1,"])
        XCTAssertEqual(regexTestPieces("[^\\s\\p{L}\\p{N}]+", "a+-b 1/2"), ["+-", "/"])
        XCTAssertEqual(regexTestPieces("[\\u4e00-\\u9fa5]+", "a中文b"), ["中文"])
        XCTAssertEqual(regexTestPieces("\\p{Any}", "a\n"), ["a", "\n"])
        XCTAssertEqual(regexTestPieces("\\p{Cc}+", "a\t\n\u{0}\u{85}b"), ["\t\n\u{0}\u{85}"])
        XCTAssertEqual(regexTestPieces("\u{2581}+", "\u{2581}\u{2581}a\u{2581}"), ["\u{2581}\u{2581}", "\u{2581}"])
    }

    func testGroupsAndComments() {
        XCTAssertEqual(regexTestPieces("(?P<x>a)(?<y>b)(?'z'c)", "abc"), ["abc"])
        XCTAssertEqual(regexTestPieces("a(?#comment)b", "ab"), ["ab"])
        XCTAssertEqual(regexTestPieces("(?x) a b # comment\n c", "abc"), ["abc"])
        XCTAssertEqual(regexTestPieces("(a)|(b)", "ab"), ["a", "b"])
    }

    // MARK: Scan semantics and API

    func testEmptyMatchesAdvanceOneScalar() {
        XCTAssertEqual(regexTestPieces("a*", "baab"), ["", "aa", "", ""])
        // After an empty match the scan resumes one scalar later (Oniguruma / Rust semantics).
        XCTAssertEqual(try PretokenPattern("|a").matches(in: "a"), [0..<0, 1..<1])
        XCTAssertEqual(try PretokenPattern("x*").matches(in: "é"), [0..<0, 2..<2])
        XCTAssertEqual(try PretokenPattern("x*").matches(in: ""), [0..<0])
        XCTAssertEqual(try PretokenPattern("x").matches(in: ""), [])
    }

    func testByteOffsets() throws {
        let p = try PretokenPattern(Self.gpt2)
        XCTAssertEqual(p.source, Self.gpt2)
        XCTAssertEqual(p.matches(in: "héllo 世界!"), [0..<6, 6..<13, 13..<14])
    }

    func testForEachMatchOnBuffers() throws {
        let p = try PretokenPattern(Self.cl100k)
        var got: [Range<Int>] = []
        p.forEachMatch(in: UnsafeBufferPointer(start: nil, count: 0)) { got.append($0) }
        XCTAssertEqual(got, [])
        let bytes = Array("Hello, world".utf8)
        bytes.withUnsafeBufferPointer { buf in p.forEachMatch(in: buf) { got.append($0) } }
        XCTAssertEqual(got, [0..<5, 5..<6, 6..<12])
        // A slice of a larger buffer: offsets are relative to the slice.
        got = []
        bytes.withUnsafeBufferPointer { buf in
            p.forEachMatch(in: UnsafeBufferPointer(rebasing: buf[7...])) { got.append($0) }
        }
        XCTAssertEqual(got, [0..<5])
    }

    func testTruncatedUTF8DoesNotCrash() throws {
        let p = try PretokenPattern(Self.o200k)
        let bytes: [UInt8] = Array("ab ".utf8) + [0xE4, 0xB8]  // cut-off 3-byte sequence
        var got: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buf in p.forEachMatch(in: buf) { got.append($0) } }
        XCTAssertEqual(got.last?.upperBound, bytes.count)
    }

    func testConcurrentUse() throws {
        let p = try PretokenPattern(Self.o200k)
        let text = String(repeating: "Hello world's 123 你好 \n\n  x ", count: 200)
        let expected = p.matches(in: text)
        let results = RegexTestBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            results.append(p.matches(in: text) == expected)
        }
        XCTAssertEqual(results.values, Array(repeating: true, count: 8))
    }

    // MARK: Required tokenizer patterns

    func testRequiredPatternsExamples() {
        XCTAssertEqual(regexTestPieces(Self.gpt2, "Hello world's 123  foo!!\n"),
                       ["Hello", " world", "'s", " 123", " ", " foo", "!!", "\n"])
        XCTAssertEqual(regexTestPieces(Self.cl100k, "I'LL pay 12345 dollars...\r\n\r\n  ok"),
                       ["I", "'LL", " pay", " ", "123", "45", " dollars", "...\r\n\r\n", " ", " ok"])
        XCTAssertEqual(regexTestPieces(Self.qwen2, "abc 123"), ["abc", " ", "1", "2", "3"])
        XCTAssertEqual(regexTestPieces(Self.o200k, "HelloWorld HTTPServer don'T path/to/x"),
                       ["Hello", "World", " HTTPServer", " don'T", " path", "/to", "/x"])
        XCTAssertEqual(regexTestPieces(Self.deepseekDigits, "a1234567b"), ["123", "456", "7"])
        XCTAssertEqual(regexTestPieces(Self.deepseekCJK, "ab中文テストひらがなx"), ["中文テストひらがな"])
        XCTAssertEqual(regexTestPieces(Self.deepseekCJKLiteral, "ab中文テストひらがなx"), ["中文テストひらがな"])
        XCTAssertEqual(regexTestPieces(Self.deepseekMain, "(hello) world's café\n"),
                       ["(hello", ")", " world", "'s", " café", "\n"])
        XCTAssertEqual(regexTestPieces("\\p{N}", "a12"), ["1", "2"])
        XCTAssertEqual(regexTestPieces("[^\\s]+", " ab  c "), ["ab", "c"])
        XCTAssertEqual(regexTestPieces(Self.bert, "Hello, world!!"), ["Hello", ",", "world", "!!"])
    }
}

/// Thread-safe collector for the concurrency test.
final class RegexTestBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Bool] = []
    func append(_ v: Bool) { lock.lock(); storage.append(v); lock.unlock() }
    var values: [Bool] { lock.lock(); defer { lock.unlock() }; return storage }
}
