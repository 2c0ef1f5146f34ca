import TestSupport
import XCTest
@testable import Tokenization

/// decode(encode(s)) == s for arbitrary valid UTF-8, on every tokenizer whose reference round-trips
/// exactly (byte-level BPE, tiktoken, SentencePiece BPE with byte fallback and the Llama-2 normalizer).
final class RoundTripPropertyTests: XCTestCase {
    static let pools: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0x20...0x7E, 0x20...0x7E, 0x09...0x0D, 0x00...0x1F, 0x80...0x24F, 0x370...0x52F,
        0x590...0x6FF, 0x900...0xDFF, 0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0x1F300...0x1FAFF,
        0x300...0x36F, 0x2000...0x206F, 0xE000...0xF8FF, 0x10000...0x10FFFF,
    ]

    static func randomText(_ rng: inout RegexTestRNG) -> String {
        var scalars = String.UnicodeScalarView()
        let length = Int.random(in: 0...80, using: &rng)
        var pool = pools.randomElement(using: &rng)!
        for _ in 0..<length {
            if Int.random(in: 0..<6, using: &rng) == 0 { pool = pools.randomElement(using: &rng)! }
            var value = UInt32.random(in: pool, using: &rng)
            if (0xD800...0xDFFF).contains(value) { value = 0x41 }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            if Int.random(in: 0..<10, using: &rng) == 0 { scalars.append(contentsOf: String(repeating: " ", count: Int.random(in: 1...5, using: &rng)).unicodeScalars) }
        }
        return String(scalars)
    }

    func roundTrip(_ tokenizer: Tokenizer, name: String, cases: Int = 400, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RegexTestRNG(seed: 0x5EED)
        var failures = 0
        for i in 0..<cases {
            let text = Self.randomText(&rng)
            let back = tokenizer.decode(tokenizer.encode(text, parseSpecialTokens: false))
            if back != text {
                failures += 1
                if failures <= 3 {
                    XCTFail("\(name) case \(i): \"\(visible(text))\" came back as \"\(visible(back))\"", file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(name): \(failures) of \(cases) did not round-trip", file: file, line: line)
    }

    func testCommittedTokenizers() throws {
        for name in ["gpt2-style", "llama3-style", "qwen2-style", "smollm2-style", "llama2-spm"] {
            let path = TestPaths.fixtures + "/tokenizers/\(name)/tokenizer.json"
            let tokenizer = try Tokenizer.load(path: path)
            if name == "qwen2-style" {
                // Its NFC normalizer changes non-NFC input by design; round-trip holds on NFC text.
                var rng = RegexTestRNG(seed: 7)
                for _ in 0..<200 {
                    let text = String(decoding: Array(Self.randomText(&rng)._nfcCodeUnits), as: UTF8.self)
                    XCTAssertEqual(tokenizer.decode(tokenizer.encode(text, parseSpecialTokens: false)), text)
                }
                continue
            }
            roundTrip(tokenizer, name: name)
        }
    }

    func testRealTokenizers() throws {
        // Not the SmolLM2 GGUF: its vocabulary lacks 21 byte tokens (0xF5-0xFF among them), so text using
        // those bytes cannot round-trip in llama.cpp either; its goldens cover it.
        for (path, encoding) in [("deepseek/tokenizer.json", nil as String?), ("whisper/gpt2.tiktoken", "gpt2")] {
            let full = TestPaths.assets + "/" + path
            try requireAssetFile(full)
            roundTrip(try Tokenizer.load(path: full, encoding: encoding), name: path)
        }
    }
}
