import Formats
import Foundation
import Model
import Tensor
import XCTest

/// A Qwen2 GGUF (tiny, random, F32, written by gguf-py: scripts/make_tiny_gguf.py) converted and
/// loaded by transformers 5.23 and 4.57: Qwen2ForCausalLM with its q/k/v biases, nothing missing or
/// unexpected, logits equal to transformers loading the GGUF itself, tokenizer ("gpt2" vocabulary,
/// pre-tokenizer "qwen2") equal to transformers' GGUF tokenizer; our LlamaModel agrees too.
final class ConvertQwen2GGUFTests: XCTestCase {
    func testQwen2GGUFConvertsToWhatTransformersLoadsFromIt() throws {
        let python5 = try ConvertTestSupport.transformers5(), python4 = try ConvertTestSupport.transformers4()
        let root = try ConvertTestSupport.temporaryDirectory("qwen2-gguf")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let gguf = root + "/tiny-qwen2.gguf"
        _ = try ConvertTestSupport.runScript(python5, "make_tiny_gguf.py", [gguf, ModelTestData.fixtures + "/tokenizers/qwen2-style"])
        let directory = root + "/model"
        let summary = try ModelConversion.convert(input: gguf, output: directory, dtype: .f32)
        XCTAssertEqual(summary.architecture, "Qwen2ForCausalLM")
        let texts = try ConvertTestSupport.writeTexts(to: root)

        let report = try ConvertTestSupport.runScript(python5, "check_converted_model.py",
                                                      [directory, "--texts", texts, "--logits-out", root + "/l5.safetensors", "--gguf", gguf])
        let old = try ConvertTestSupport.runScript(python4, "check_converted_model.py",
                                                   [directory, "--texts", texts, "--logits-out", root + "/l4.safetensors"])
        let gguf5 = try XCTUnwrap(report["gguf"] as? [String: Any])
        let reference = try SafetensorsCheckpoint(path: root + "/l5.safetensors").floats(named: "gguf")
        for (r, logitsFile) in [(report, "l5"), (old, "l4")] {
            let version = r["version"] as? String ?? "?"
            for (kind, keys) in try XCTUnwrap(r["loading_info"] as? [String: [String]]) { XCTAssertEqual(keys, [], "\(version) \(kind)") }
            XCTAssertEqual(r["load_warnings"] as? [String], [], version)
            XCTAssertEqual(r["generated"] as? String, gguf5["generated"] as? String, version)
            XCTAssertEqual(r["logits_ids"] as? [Int], gguf5["logits_ids"] as? [Int], version)
            let tokenizer = try XCTUnwrap(r["tokenizer"] as? [[String: Any]])
            for (text, (a, b)) in zip(ConvertTestSupport.tokenizerTexts, zip(tokenizer, try XCTUnwrap(gguf5["tokenizer"] as? [[String: Any]]))) {
                XCTAssertEqual(a["ids"] as? [Int], b["ids"] as? [Int], "\(version): \(text)")
                XCTAssertEqual(a["decoded"] as? String, b["decoded"] as? String, "\(version): \(text)")
            }
            let logits = try SafetensorsCheckpoint(path: root + "/\(logitsFile).safetensors").floats(named: "dir")
            XCTAssertLessThanOrEqual(ConvertTestSupport.relativeError(logits, reference), 1e-6, "\(version) directory vs the GGUF in transformers 5")
        }

        let device = try CPUDevice(threads: 2)
        let loaded = try ModelDirectory.load(path: directory, device: device)
        XCTAssertNotNil(loaded.parameters.layers[0].keyBias)
        let model = try LlamaModel(config: loaded.config.config, parameters: loaded.parameters, device: device)
        let ids = (report["logits_ids"] as? [Int] ?? []).map(Int32.init)
        let ours = model.logits(LlamaInput(singleDocument: ids)).floats()
        XCTAssertLessThanOrEqual(ConvertTestSupport.relativeError(ours, reference), 2e-5)
    }
}
