import Formats
import Foundation
import Tokenization
import XCTest

/// tokenizer.json + tokenizer_config.json written from GGUF vocabularies, run by HF `tokenizers`
/// (scripts/check_gguf_tokenizer_export.py) against the tokenizer transformers 5.23 builds from the
/// same GGUF: identical vocabulary and merges, identical ids and decodings on mixed text, BOS/EOS as
/// the GGUF asks. For SentencePiece also against llama.cpp's ids (the golden fixture): on text that
/// starts with a space transformers' GGUF tokenizer drops the "▁" prefix that sentencepiece and
/// llama.cpp add, and our file follows llama.cpp. Also read back by our own Tokenizer, which must
/// agree with its GGUF loader.
final class GGUFTokenizerExportTests: XCTestCase {
    static let sentencePieceVocabulary = ModelTestData.fixtures + "/tokenizers/llama-spm-gguf/vocab.gguf"

    func export(_ gguf: String, into directory: String) throws {
        for (name, text) in try GGUFTokenizerExport.files(forGGUF: gguf, modelMaxLength: 8192) {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    func compareWithTransformers(_ gguf: String, kind: String, golden: String? = nil) throws {
        let python = try ConvertTestSupport.transformers5()
        let directory = try ConvertTestSupport.temporaryDirectory("tokenizer-export")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try export(gguf, into: directory)
        let report = try ConvertTestSupport.runScript(python, "check_gguf_tokenizer_export.py",
                                                      [gguf, directory, try ConvertTestSupport.writeTexts(to: directory)] + (golden.map { [$0] } ?? []))
        XCTAssertEqual(report["tokenizer_type"] as? String, kind)
        XCTAssertEqual(report["vocab_equal"] as? Bool, true)
        XCTAssertEqual(report["merges_equal"] as? Bool, true, "merge count \(report["merge_count"] ?? "?")")
        XCTAssertEqual(report["vocab_size"] as? Int, report["reference_vocab_size"] as? Int)
        XCTAssertEqual(report["special_tokens"] as? [String: String], report["reference_special_tokens"] as? [String: String])
        let cases = try XCTUnwrap(report["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, ConvertTestSupport.tokenizerTexts.count)
        for (text, c) in zip(ConvertTestSupport.tokenizerTexts, cases) {
            if kind == "llama", text.first?.isWhitespace == true {
                // Where transformers departs from sentencepiece (see above): ours decodes back to the text.
                XCTAssertEqual(c["decoded"] as? String, text)
                continue
            }
            XCTAssertEqual(c["ids"] as? [Int], c["reference_ids"] as? [Int], text)
            XCTAssertEqual(c["decoded"] as? String, c["reference_decoded"] as? String, text)
            XCTAssertEqual(c["auto_ids_with_special"] as? [Int], c["expected_with_special"] as? [Int], "AutoTokenizer: \(text)")
        }
        guard golden != nil else { return }
        let goldenCases = try XCTUnwrap(report["golden"] as? [[String: Any]])
        XCTAssertGreaterThan(goldenCases.count, 20)
        for c in goldenCases {
            XCTAssertEqual(c["ids"] as? [Int], c["llama_cpp_ids"] as? [Int], "llama.cpp: \(c["text"] ?? "")")
        }
    }

    func testSentencePieceVocabularyMatchesTransformers() throws {
        try compareWithTransformers(Self.sentencePieceVocabulary, kind: "llama",
                                    golden: ModelTestData.fixtures + "/tokenizers/golden/llama-spm-gguf.json")
    }

    func testSmolLM2VocabularyMatchesTransformers() throws {
        try compareWithTransformers(try ConvertTestSupport.requireSmolLM2(), kind: "gpt2",
                                    golden: ModelTestData.fixtures + "/tokenizers/golden/smollm2-gguf.json")
    }

    /// Our tokenizer.json reader on the exported file against our GGUF reader (checked against
    /// llama.cpp by the golden tokenizer tests): the export loses nothing our own pipeline uses.
    func testExportReadsBackAsTheGGUFTokenizer() throws {
        var sources = [Self.sentencePieceVocabulary]
        if access(ConvertTestSupport.smolLM2, R_OK) == 0 { sources.append(ConvertTestSupport.smolLM2) }
        for gguf in sources {
            let directory = try ConvertTestSupport.temporaryDirectory("tokenizer-readback")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try export(gguf, into: directory)
            let exported = try Tokenizer.load(path: directory)
            let original = try Tokenizer(ggufPath: gguf)
            for text in ConvertTestSupport.tokenizerTexts {
                for special in [false, true] {
                    let ids = original.encode(text, addSpecialTokens: special, parseSpecialTokens: true)
                    XCTAssertEqual(exported.encode(text, addSpecialTokens: special, parseSpecialTokens: true), ids, "\(gguf): \(text)")
                    XCTAssertEqual(exported.decode(ids, skipSpecialTokens: false), original.decode(ids, skipSpecialTokens: false), "\(gguf): \(text)")
                }
            }
        }
    }
}
