import Foundation
import XCTest
@testable import Model

/// Model directories written by transformers' own save_pretrained (scripts/tiny_model_roundtrip.py)
/// through `ModelConversion.convert` and back into transformers 5.23 and 4.57: every tensor equal
/// bit for bit to the source rounded to the written dtype (torch's `.to`), nothing missing or
/// unexpected, no load warnings, config keys kept, and the RoPE the source has in transformers 5
/// read the same by transformers 4.
final class ModelDirectoryRoundTripTests: XCTestCase {
    struct Checked {
        let report: [String: Any]
        var tensors: [String: Bool] { report["tensors"] as? [String: Bool] ?? [:] }
        var invFreq: (source: [Double], out: [Double]) {
            (report["source_inv_freq"] as? [Double] ?? [], report["out_inv_freq"] as? [Double] ?? [])
        }
    }

    func make(_ python: String, _ directory: String, _ arguments: [String]) throws {
        _ = try ConvertTestSupport.runScript(python, "tiny_model_roundtrip.py", ["make", directory] + arguments)
    }

    func check(_ python: String, source: String, output: String, dtype: WeightDType, addedKeys: [String],
               file: StaticString = #filePath, line: UInt = #line) throws -> Checked {
        let report = try ConvertTestSupport.runScript(python, "tiny_model_roundtrip.py",
                                                      ["check", source, output, "--dtype", dtype.configName], file: file, line: line)
        let label = "\(report["version"] ?? "?") \(URL(fileURLWithPath: output).lastPathComponent)"
        let info = try XCTUnwrap(report["loading_info"] as? [String: [String]], label)
        for (kind, keys) in info { XCTAssertEqual(keys, [], "\(label) \(kind)", file: file, line: line) }
        XCTAssertEqual(report["load_warnings"] as? [String], [], label, file: file, line: line)
        XCTAssertEqual(report["model_dtype"] as? String, dtype.configName, label, file: file, line: line)
        XCTAssertEqual(report["out_config_dtype"] as? [String], [dtype.configName, dtype.configName], label, file: file, line: line)
        XCTAssertEqual(report["config_keys_differing"] as? [String], addedKeys, label, file: file, line: line)
        let checked = Checked(report: report)
        XCTAssertGreaterThan(checked.tensors.count, 10, label, file: file, line: line)
        for (name, equal) in checked.tensors.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(equal, "\(label): \(name) differs from the source rounded to \(dtype)", file: file, line: line)
        }
        return checked
    }

    func testShardedLlamaToF32AndBF16() throws {
        let python5 = try ConvertTestSupport.transformers5(), python4 = try ConvertTestSupport.transformers4()
        let root = try ConvertTestSupport.temporaryDirectory("roundtrip-llama")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = root + "/source"
        try make(python5, source, ["--family", "llama", "--dtype", "float32", "--max-shard-size", "40KB",
                                   "--tokenizer-from", ModelTestData.fixtures + "/tokenizers/smollm2-style"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: source + "/model.safetensors.index.json"), "the source is sharded")

        let f32 = try ModelConversion.convert(input: source, output: root + "/f32", dtype: .f32)
        XCTAssertEqual(Set(f32.written.files), ["model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"])
        // transformers 5 wrote rope_parameters only; we add the keys transformers 4 reads.
        let exact = try check(python5, source: source, output: root + "/f32", dtype: .f32, addedKeys: ["rope_scaling", "rope_theta"])
        XCTAssertEqual(exact.report["max_abs_logit_difference"] as? Double, 0, "same f32 weights, same logits")
        XCTAssertEqual(exact.invFreq.out, exact.invFreq.source)

        let bf16 = try ModelConversion.convert(input: source, output: root + "/bf16", dtype: .bf16, maxShardSize: 50_000)
        XCTAssertTrue(bf16.written.files.contains("model.safetensors.index.json"), "written sharded: \(bf16.written.files)")
        _ = try check(python5, source: source, output: root + "/bf16", dtype: .bf16, addedKeys: ["rope_scaling", "rope_theta"])
        let old = try check(python4, source: source, output: root + "/bf16", dtype: .bf16, addedKeys: ["rope_scaling", "rope_theta"])
        XCTAssertEqual(old.invFreq.out, exact.invFreq.source, "transformers 4 runs the RoPE transformers 5 reads from the source")
        XCTAssertNotEqual(old.invFreq.source, exact.invFreq.source, "(while it misreads the source itself)")
    }

    func testTiedQwen2FromBF16ToF32() throws {
        let python5 = try ConvertTestSupport.transformers5(), python4 = try ConvertTestSupport.transformers4()
        let root = try ConvertTestSupport.temporaryDirectory("roundtrip-qwen2")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = root + "/source"
        try make(python5, source, ["--family", "qwen2", "--dtype", "bfloat16", "--tied"])
        let summary = try ModelConversion.convert(input: source, output: root + "/f32", dtype: .f32)
        XCTAssertEqual(summary.architecture, "Qwen2ForCausalLM")
        let widened = try check(python5, source: source, output: root + "/f32", dtype: .f32, addedKeys: ["rope_scaling", "rope_theta"])
        XCTAssertEqual(widened.report["max_abs_logit_difference"] as? Double, 0, "bf16 widens to f32 exactly")
        XCTAssertTrue(widened.tensors.keys.contains("model.layers.0.self_attn.q_proj.bias"))
        _ = try check(python4, source: source, output: root + "/f32", dtype: .f32, addedKeys: ["rope_scaling", "rope_theta"])
    }
}
