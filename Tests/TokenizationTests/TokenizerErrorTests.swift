import Foundation
import XCTest
@testable import Tokenization

/// Bad tokenizer files and bad input get clear errors naming the file and the place, never a crash.
final class TokenizerErrorTests: XCTestCase {
    func load(_ json: String) throws -> Tokenizer {
        try Tokenizer(tokenizerJSON: Array(json.utf8), source: "bad/tokenizer.json")
    }

    func assertError(_ json: String, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(json), file: file, line: line) { error in
            let message = "\(error)"
            for fragment in fragments {
                XCTAssert(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
            }
        }
    }

    let model = #""model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}"#

    func testMalformedFiles() {
        assertError(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [}}"#, contains: ["bad/tokenizer.json", "byte 56"])
        assertError(#"{"model": {"type": "WordPiece", "vocab": {}}}"#, contains: ["model.type", "WordPiece"])
        assertError(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#, contains: ["merges", "'b' is not in the vocabulary"])
        assertError(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}}"#, contains: ["model.merges[0]"])
        assertError(#"{"model": {"type": "BPE", "vocab": {"a": "x"}, "merges": []}}"#, contains: ["model.vocab[\"a\"]"])
        assertError("{\(model), \"pre_tokenizer\": {\"type\": \"Nope\"}}", contains: ["pre_tokenizer.type", "Nope"])
        assertError("{\(model), \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(a\"}, \"behavior\": \"Isolated\"}}",
                    contains: ["pre_tokenizer.pattern.Regex"])
        assertError("{\(model), \"added_tokens\": [{\"id\": 5}]}", contains: ["added_tokens[0].content"])
        assertError("{\(model), \"normalizer\": {\"type\": \"Precompiled\"}}", contains: ["normalizer.type", "Precompiled"])
    }

    func testMinimalTokenizerWorks() throws {
        let t = try load("{\(model)}")
        XCTAssertEqual(t.encode("ab"), [2])
        XCTAssertEqual(t.encode("aab"), [0, 2])
        XCTAssertEqual(t.encode("c"), [], "no unk token: unknown characters are dropped, as tokenizers does")
    }

    /// Spellings are told apart byte for byte, as tokenizers does (checked with tokenizers 0.23.3: [2], [3],
    /// [3, 2]), not by Swift's canonical equivalence: "e" + U+0301 and the precomposed U+00E9 are two tokens,
    /// and the merge makes the first, though the second comes later in the file.
    func testCanonicallyEquivalentSpellingsAreDistinctTokens() throws {
        let t = try load(#"{"model": {"type": "BPE", "vocab": {"e": 0, "\u0301": 1, "e\u0301": 2, "\u00e9": 3}, "merges": ["e \u0301"]}}"#)
        XCTAssertEqual(t.encode("e\u{301}"), [2])
        XCTAssertEqual(t.encode("\u{e9}"), [3])
        XCTAssertEqual(t.encode("\u{e9}e\u{301}"), [3, 2])
    }

    func testMissingPathsAndBadRankFiles() {
        XCTAssertThrowsError(try Tokenizer.load(path: "/nonexistent/tokenizer.json")) {
            XCTAssert("\($0)".contains("/nonexistent/tokenizer.json"))
        }
        XCTAssertThrowsError(try Tokenizer(tiktokenRanks: Array("YQ== 0\nYg== 1\n!!! 2\n".utf8), source: "x.tiktoken",
                                           encoding: TiktokenEncoding.named("gpt2")!)) {
            XCTAssert("\($0)".contains("x.tiktoken: line 3"), "\($0)")
        }
        XCTAssertThrowsError(try Tokenizer(tiktokenRanks: Array("YQ== 0\nYg== 5\n".utf8), source: "x.tiktoken",
                                           encoding: TiktokenEncoding.named("gpt2")!)) {
            XCTAssert("\($0)".contains("line 2"), "\($0)")
        }
    }

    let minimal = TestPaths.fixtures + "/tokenizers/minimal/tokenizer.json"

    /// The CLI refuses invalid UTF-8 with the byte offset, and exits non-zero.
    func testCLIRejectsInvalidUTF8WithOffset() throws {
        let r = try runCLI(["tokenize", "--tokenizer", minimal], stdin: [0x61, 0x62, 0x61, 0xC3, 0x28, 0x61])
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.err.contains("invalid UTF-8 at byte offset 3"), r.err)
    }

    func testCLIEncodeDecodeAndJSONLines() throws {
        XCTAssertEqual(try runCLI(["tokenize", "--tokenizer", minimal], stdin: Array("abab".utf8)).out, "[2,2]\n")
        XCTAssertEqual(try runCLI(["tokenize", "--tokenizer", minimal, "--count"], stdin: Array("aab".utf8)).out, "2\n")
        XCTAssertEqual(try runCLI(["tokenize", "--tokenizer", minimal, "--decode"], stdin: Array("[0,2]".utf8)).out, "a ab",
                       "no decoder: tokens joined by spaces, as tokenizers does")
        let lines = #"{"text": "ab"}"# + "\n" + #"{"text": "aab", "id": 7}"# + "\n"
        XCTAssertEqual(try runCLI(["tokenize", "--tokenizer", minimal, "--jsonl", "--threads", "2"], stdin: Array(lines.utf8)).out,
                       "[2]\n[0,2]\n")
        let bad = try runCLI(["tokenize", "--tokenizer", minimal, "--jsonl"], stdin: Array((lines + "{\"text\": 3}\n").utf8))
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.err.contains("stdin:3"), bad.err)
    }
}

final class TokenLookupTests: XCTestCase {
    func testIDAndTokenAreInverse() throws {
        for name in ["gpt2-style", "llama2-spm", "llama3-style"] {
            let t = try Tokenizer.load(path: TestPaths.fixtures + "/tokenizers/\(name)/tokenizer.json")
            for id in stride(from: 0, to: t.vocabularySize, by: 7) {
                guard let token = t.token(of: TokenID(id)) else { continue }
                XCTAssertEqual(t.id(of: token), TokenID(id), "\(name): \(token)")
            }
            XCTAssertNil(t.id(of: "no such token ☃☃☃"))
        }
    }
}
