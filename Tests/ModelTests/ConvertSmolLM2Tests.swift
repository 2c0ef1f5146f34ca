import Formats
import Foundation
import Model
import Tensor
import Tokenization
import XCTest

/// The real SmolLM2-135M-Instruct Q4_1 GGUF converted to a model directory and loaded by people who
/// did not write it (scripts/check_converted_model.py): transformers 5.23 and 4.57 load it with no
/// missing or unexpected weights and no warnings, greedily continue "The capital of France is" with
/// " Paris", and tokenize mixed text exactly as transformers' own GGUF tokenizer; its logits equal
/// those of transformers loading the GGUF itself. Our LlamaModel on the converted directory gives
/// the same logits as transformers (f32: within 2e-5 of the largest logit; measured 3e-6).
final class ConvertSmolLM2Tests: XCTestCase {
    /// The f32 conversion and transformers 5's report on it (the GGUF reference included), made once
    /// per test process: loading the GGUF in transformers alone takes about 15 s.
    struct Reference {
        let directory: String
        let report: [String: Any]
        let logits: SafetensorsCheckpoint
        var ids: [Int32] { (report["logits_ids"] as? [Int] ?? []).map(Int32.init) }
    }
    nonisolated(unsafe) static var cached: Reference?
    nonisolated(unsafe) static var scratch: String?

    override class func tearDown() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
        scratch = nil
        cached = nil
        super.tearDown()
    }

    static func scratchDirectory() throws -> String {
        if let scratch { return scratch }
        let made = try ConvertTestSupport.temporaryDirectory("smollm2")
        scratch = made
        return made
    }

    func reference() throws -> Reference {
        if let cached = Self.cached { return cached }
        let gguf = try ConvertTestSupport.requireSmolLM2()
        let python = try ConvertTestSupport.transformers5()
        let root = try Self.scratchDirectory()
        let directory = root + "/f32"
        let summary = try ModelConversion.convert(input: gguf, output: directory, dtype: .f32)
        XCTAssertEqual(summary.parameterCount, 134_515_008)
        print("SmolLM2 -> f32 directory: \(summary.written.byteCount) bytes in \(String(format: "%.1f", summary.seconds)) s")
        let report = try ConvertTestSupport.runScript(python, "check_converted_model.py", [
            directory, "--texts", try ConvertTestSupport.writeTexts(to: root), "--logits-out", root + "/logits5.safetensors", "--gguf", gguf,
        ])
        let made = Reference(directory: directory, report: report, logits: try SafetensorsCheckpoint(path: root + "/logits5.safetensors"))
        Self.cached = made
        return made
    }

    func assertLoadsCleanly(_ report: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let version = report["version"] as? String ?? "?"
        let info = try XCTUnwrap(report["loading_info"] as? [String: [String]], version, file: file, line: line)
        XCTAssertEqual(Set(info.keys), ["missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs"], file: file, line: line)
        for (kind, keys) in info { XCTAssertEqual(keys, [], "transformers \(version) \(kind)", file: file, line: line) }
        XCTAssertEqual(report["load_warnings"] as? [String], [], "transformers \(version)", file: file, line: line)
        XCTAssertEqual(report["tokenizer_warnings"] as? [String], [], "transformers \(version)", file: file, line: line)
        XCTAssertEqual(report["special_tokens"] as? [String: String],
                       ["bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>"],
                       file: file, line: line)
        XCTAssertEqual(report["has_chat_template"] as? Bool, true, file: file, line: line)
        let generated = try XCTUnwrap(report["generated"] as? String, file: file, line: line)
        XCTAssertTrue(generated.hasPrefix(" Paris"), "transformers \(version) continued with \(generated.debugDescription)", file: file, line: line)
    }

    /// Ids from transformers' tokenizer of our directory against our GGUF tokenizer (which the golden
    /// tests hold to llama.cpp's ids).
    func assertTokenizesLikeTheGGUF(_ report: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = try Tokenizer(ggufPath: try ConvertTestSupport.requireSmolLM2())
        let cases = try XCTUnwrap(report["tokenizer"] as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(cases.count, ConvertTestSupport.tokenizerTexts.count, file: file, line: line)
        for (text, c) in zip(ConvertTestSupport.tokenizerTexts, cases) {
            let ids = ours.encode(text, addSpecialTokens: false, parseSpecialTokens: true).map(Int.init)
            XCTAssertEqual(c["ids"] as? [Int], ids, text, file: file, line: line)
            XCTAssertEqual(c["ids_with_special"] as? [Int], ids, "no BOS/EOS added: \(text)", file: file, line: line)
            XCTAssertEqual(c["decoded"] as? String, text, file: file, line: line)
        }
    }

    func testTransformers5LoadsTheConvertedGGUFAsItLoadsTheGGUF() throws {
        let r = try reference()
        try assertLoadsCleanly(r.report)
        XCTAssertEqual(r.report["model_dtype"] as? String, "torch.float32")
        let gguf = try XCTUnwrap(r.report["gguf"] as? [String: Any])
        XCTAssertEqual(gguf["generated"] as? String, r.report["generated"] as? String)
        XCTAssertEqual(gguf["logits_ids"] as? [Int], r.report["logits_ids"] as? [Int])
        // The same f32 weights in the same model code: identical logits are expected; allow rounding noise.
        let ours = try r.logits.floats(named: "dir"), theirs = try r.logits.floats(named: "gguf")
        XCTAssertEqual(ours.count, r.ids.count * 49152)
        let error = ConvertTestSupport.relativeError(ours, theirs)
        print("transformers 5.23 logits, converted directory vs GGUF: max difference \(gguf["max_abs_logit_difference"] ?? "?"), relative \(error)")
        XCTAssertLessThanOrEqual(error, 1e-6)
        // The directory's tokenizer.json against transformers' GGUF tokenizer, text by text.
        let mine = try XCTUnwrap(r.report["tokenizer"] as? [[String: Any]])
        let reference = try XCTUnwrap(gguf["tokenizer"] as? [[String: Any]])
        for (text, (a, b)) in zip(ConvertTestSupport.tokenizerTexts, zip(mine, reference)) {
            XCTAssertEqual(a["ids"] as? [Int], b["ids"] as? [Int], text)
            XCTAssertEqual(a["ids_with_special"] as? [Int], b["ids_with_special"] as? [Int], text)
            XCTAssertEqual(a["decoded"] as? String, b["decoded"] as? String, text)
        }
        try assertTokenizesLikeTheGGUF(r.report)
    }

    func testOurModelOnTheConvertedDirectoryMatchesTransformers() throws {
        let r = try reference()
        let device = try CPUDevice(threads: 2)
        let loaded = try ModelDirectory.load(path: r.directory, device: device)
        XCTAssertTrue(loaded.ignoredTensors.isEmpty)
        let model = try LlamaModel(config: loaded.config.config, parameters: loaded.parameters, device: device)
        let ours = model.logits(LlamaInput(singleDocument: r.ids)).floats()
        let theirs = try r.logits.floats(named: "gguf")
        let error = ConvertTestSupport.relativeError(ours, theirs)
        print("LlamaModel vs transformers 5.23 on SmolLM2 (\(r.ids.count) tokens): max difference \(error) of the largest logit")
        XCTAssertLessThanOrEqual(error, 2e-5)
        XCTAssertEqual(ConvertTestSupport.argmaxRows(ours, columns: 49152), ConvertTestSupport.argmaxRows(theirs, columns: 49152))
    }

    /// The CLI end to end (bf16, the default a user gets) and transformers 4.57, which has no GGUF
    /// loader of its own here: it loads, generates and tokenizes as transformers 5 does the GGUF,
    /// and its logits equal our LlamaModel's on the same bf16 weights.
    func testCLIConvertsToBF16ThatTransformers4Loads() throws {
        let gguf = try ConvertTestSupport.requireSmolLM2()
        let python = try ConvertTestSupport.transformers4()
        let binary = try ConvertTestSupport.longctxBinary()
        let root = try Self.scratchDirectory()
        let directory = root + "/bf16"
        let printed = String(decoding: try ConvertTestSupport.run(binary, ["convert", gguf, directory, "--dtype", "bf16"]), as: UTF8.self)
        for expected in ["architecture  LlamaForCausalLM", "parameters    134515008", "dtype         bfloat16", "bytes written", "seconds"] {
            XCTAssertTrue(printed.contains(expected), printed)
        }
        let again = Process()
        again.executableURL = URL(fileURLWithPath: binary)
        again.arguments = ["convert", gguf, directory]
        again.standardOutput = FileHandle.nullDevice
        again.standardError = FileHandle.nullDevice
        try again.run()
        again.waitUntilExit()
        XCTAssertNotEqual(again.terminationStatus, 0, "an existing directory is refused without --force")

        let report = try ConvertTestSupport.runScript(python, "check_converted_model.py", [
            directory, "--texts", try ConvertTestSupport.writeTexts(to: root), "--logits-out", root + "/logits4.safetensors",
        ])
        XCTAssertTrue((report["version"] as? String ?? "").hasPrefix("4.57"), "\(report["version"] ?? "?")")
        try assertLoadsCleanly(report)
        try assertTokenizesLikeTheGGUF(report)

        let ids = (report["logits_ids"] as? [Int] ?? []).map(Int32.init)
        let theirs = try SafetensorsCheckpoint(path: root + "/logits4.safetensors").floats(named: "dir")
        let device = try CPUDevice(threads: 2)
        let loaded = try ModelDirectory.load(path: directory, device: device)
        XCTAssertEqual(loaded.config.config.dtype, "bfloat16")
        let model = try LlamaModel(config: loaded.config.config, parameters: loaded.parameters, device: device)
        let ours = model.logits(LlamaInput(singleDocument: ids)).floats()
        let error = ConvertTestSupport.relativeError(ours, theirs)
        print("LlamaModel vs transformers 4.57 on the bf16 SmolLM2 directory: max difference \(error) of the largest logit")
        XCTAssertLessThanOrEqual(error, 2e-5)
        XCTAssertEqual(ConvertTestSupport.argmaxRows(ours, columns: 49152), ConvertTestSupport.argmaxRows(theirs, columns: 49152))
    }
}
