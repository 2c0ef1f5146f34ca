import Formats
import Foundation
import Tensor
import XCTest
@testable import Model

/// Model directories written and read by our own code: the parameter layout, exact f32 round trips
/// (single file and shards), rounding to bf16/f16, tied LM heads stored or not, refusals that name the
/// file and tensor, atomic replacement, and the config written back. The comparison with transformers
/// is in ModelDirectoryRoundTripTests.
final class ModelDirectoryTests: XCTestCase {
    func config(_ extra: String = "") throws -> ConfigDocument {
        try ConfigDocument(json: ModelTestData.llamaJSON(extra, headDim: 16, maxPositions: 4096))
    }

    /// Values spread over many binades, with ties for bf16 rounding among them.
    func randomParameters(_ config: LlamaConfig, device: any Device, seed: UInt64 = 7) -> LlamaParameters {
        var state = seed
        return LlamaParameters(config: config, device: device) { _, shape in
            let values = (0..<shape.reduce(1, *)).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let bits = UInt32(truncatingIfNeeded: state >> 33)
                return Float(bitPattern: (bits & 0x807F_FFFF) | ((100 + bits % 50) << 23))
            }
            return Tensor(values, shape: shape, on: device)
        }
    }

    func assertThrows(_ body: () throws -> Void, path: String, tensor: String?, _ reason: ModelDirectoryError.Reason,
                      file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("expected \(reason)", file: file, line: line)
        } catch let error as ModelDirectoryError {
            XCTAssertEqual(error.path, path, "\(error)", file: file, line: line)
            XCTAssertEqual(error.tensor, tensor, "\(error)", file: file, line: line)
            XCTAssertEqual(error.reason, reason, "\(error)", file: file, line: line)
            if let tensor { XCTAssertTrue(error.description.contains(path) && error.description.contains(tensor), error.description) }
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func testLayoutListsWhatLlamaParametersHolds() throws {
        let device = try CPUDevice(threads: 1)
        for extra in ["", #""attention_bias": true, "mlp_bias": true"#, #""tie_word_embeddings": true"#] {
            let c = try config(extra).config
            let made = LlamaParameters.zeros(config: c, device: device).named.map { "\($0.name) \($0.tensor.shape)" }
            XCTAssertEqual(LlamaParameterLayout.expected(c).map { "\($0.name) \($0.shape)" }, made, extra)
        }
        let qwen = try ModelTestData.document("qwen2-0.5b").config
        var small = qwen
        small.numHiddenLayers = 1
        small.vocabSize = 8
        small.hiddenSize = 16
        small.intermediateSize = 8
        small.numAttentionHeads = 2
        small.numKeyValueHeads = 1
        small.headDim = 8
        let made = LlamaParameters.zeros(config: small, device: device).named.map { "\($0.name) \($0.tensor.shape)" }
        XCTAssertEqual(LlamaParameterLayout.expected(small).map { "\($0.name) \($0.shape)" }, made)
        XCTAssertTrue(made.contains("model.layers.0.self_attn.k_proj.bias [8]"))
    }

    func testF32RoundTripIsExactInOneFileAndInShards() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-f32")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = try config()
        let parameters = randomParameters(document.config, device: device)
        for (name, shardSize) in [("single", SafetensorsCheckpointWriter.defaultMaxShardSize), ("sharded", 30_000)] {
            let written = try ModelDirectory.save(parameters: parameters, config: document, to: root + "/" + name, dtype: .f32,
                                                  tokenizerFrom: nil, maxShardSize: shardSize)
            XCTAssertEqual(written.files.contains(SafetensorsIndex.fileName), name == "sharded", written.files.description)
            let loaded = try ModelDirectory.load(path: root + "/" + name, device: device)
            XCTAssertEqual(loaded.config.config.dtype, "float32")
            XCTAssertEqual(loaded.parameters.named.count, parameters.named.count)
            for (a, b) in zip(parameters.named, loaded.parameters.named) {
                XCTAssertEqual(a.name, b.name)
                XCTAssertEqual(a.tensor.floats().map(\.bitPattern), b.tensor.floats().map(\.bitPattern), "\(name) \(a.name)")
            }
        }
    }

    func testHalfPrecisionSavesRoundToNearestEven() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-half")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = try config()
        let parameters = randomParameters(document.config, device: device)
        for dtype in [WeightDType.bf16, .f16] {
            try ModelDirectory.save(parameters: parameters, config: document, to: root + "/" + dtype.rawValue, dtype: dtype, tokenizerFrom: nil)
            let checkpoint = try SafetensorsCheckpoint(path: root + "/" + dtype.rawValue)
            let loaded = try ModelDirectory.load(path: root + "/" + dtype.rawValue, device: device)
            XCTAssertEqual(loaded.config.config.dtype, dtype.configName)
            for ((name, original), (_, widened)) in zip(parameters.named, loaded.parameters.named) {
                XCTAssertEqual(checkpoint.tensor(named: name)?.dtype, dtype.safetensors)
                let expected = original.floats().map { x -> UInt32 in
                    dtype == .bf16 ? Self.bfloat16RoundedBits(x) : Float(Float16(x)).bitPattern
                }
                XCTAssertEqual(widened.floats().map(\.bitPattern), expected, "\(dtype) \(name)")
            }
        }
    }

    /// Round to nearest, ties to even, on the upper 16 bits (no NaNs here).
    static func bfloat16RoundedBits(_ x: Float) -> UInt32 {
        let bits = x.bitPattern
        let lower = bits & 0xFFFF, upper = bits & 0xFFFF_0000
        let roundUp = lower > 0x8000 || (lower == 0x8000 && (bits >> 16) & 1 == 1)
        return roundUp ? upper &+ 0x1_0000 : upper
    }

    func testTiedModelLoadsWithOrWithoutAStoredLMHead() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-tied")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = try config(#""tie_word_embeddings": true"#)
        let parameters = randomParameters(document.config, device: device)
        try ModelDirectory.save(parameters: parameters, config: document, to: root + "/without", dtype: .f32, tokenizerFrom: nil)
        let without = try ModelDirectory.load(path: root + "/without", device: device)
        XCTAssertNil(without.parameters.lmHead)
        XCTAssertTrue(without.ignoredTensors.isEmpty)
        XCTAssertNil(try SafetensorsCheckpoint(path: root + "/without").tensor(named: "lm_head.weight"), "transformers stores no tied head")

        // Some writers keep the tied head (transformers 4 with safe_serialization=False, other tools).
        try FileManager.default.createDirectory(atPath: root + "/with", withIntermediateDirectories: true)
        try document.write(to: URL(fileURLWithPath: root + "/with/config.json"))
        var tensors = parameters.named.map { SafetensorsTensorToWrite(name: $0.name, shape: $0.tensor.shape, floats: $0.tensor.floats()) }
        tensors.append(SafetensorsTensorToWrite(name: "lm_head.weight", shape: parameters.embedding.shape, floats: parameters.embedding.floats()))
        try SafetensorsCheckpointWriter.write(tensors, to: root + "/with")
        let with = try ModelDirectory.load(path: root + "/with", device: device)
        XCTAssertEqual(with.ignoredTensors, ["lm_head.weight"])
        XCTAssertNil(with.parameters.lmHead)
        XCTAssertEqual(with.parameters.embedding.floats(), parameters.embedding.floats())
    }

    func testRefusalsNameTheFileAndTheTensor() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = try config()
        let parameters = randomParameters(document.config, device: device)
        func write(_ name: String, shardSize: Int = SafetensorsCheckpointWriter.defaultMaxShardSize,
                   _ change: (inout [SafetensorsTensorToWrite]) -> Void) throws -> String {
            let directory = root + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try document.write(to: URL(fileURLWithPath: directory + "/config.json"))
            var tensors = parameters.named.map { SafetensorsTensorToWrite(name: $0.name, shape: $0.tensor.shape, floats: $0.tensor.floats()) }
            change(&tensors)
            try SafetensorsCheckpointWriter.write(tensors, to: directory, maxShardSize: shardSize)
            return directory
        }
        let missing = try write("missing", shardSize: 30_000) { $0.removeAll { $0.name == "model.layers.1.mlp.up_proj.weight" } }
        assertThrows({ _ = try ModelDirectory.load(path: missing, device: device) },
                     path: missing + "/" + SafetensorsIndex.fileName, tensor: "model.layers.1.mlp.up_proj.weight", .missingTensor)

        let extra = try write("extra") { $0.append(SafetensorsTensorToWrite(name: "model.layers.2.input_layernorm.weight", shape: [64], floats: .init(repeating: 1, count: 64))) }
        assertThrows({ _ = try ModelDirectory.load(path: extra, device: device) },
                     path: extra + "/model.safetensors", tensor: "model.layers.2.input_layernorm.weight", .unexpectedTensor)

        let misshaped = try write("misshaped") { tensors in
            let i = tensors.firstIndex { $0.name == "model.layers.0.self_attn.k_proj.weight" }!
            tensors[i] = SafetensorsTensorToWrite(name: tensors[i].name, shape: [64, 64], floats: .init(repeating: 0, count: 64 * 64))
        }
        assertThrows({ _ = try ModelDirectory.load(path: misshaped, device: device) }, path: misshaped + "/model.safetensors",
                     tensor: "model.layers.0.self_attn.k_proj.weight", .wrongShape(expected: [32, 64], actual: [64, 64]))
        // convert checks the same way before writing anything.
        assertThrows({ _ = try ModelConversion.convert(input: misshaped, output: root + "/out", dtype: .bf16) }, path: misshaped + "/model.safetensors",
                     tensor: "model.layers.0.self_attn.k_proj.weight", .wrongShape(expected: [32, 64], actual: [64, 64]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["extra", "misshaped", "missing"], "nothing left behind")

        let integers = try write("integers") { tensors in
            let i = tensors.firstIndex { $0.name == "model.norm.weight" }!
            tensors[i] = SafetensorsTensorToWrite(name: tensors[i].name, dtype: .i32, shape: [64], bytes: .init(repeating: 0, count: 256))
        }
        assertThrows({ _ = try ModelDirectory.load(path: integers, device: device) }, path: integers + "/model.safetensors",
                     tensor: "model.norm.weight", .notFloat("I32"))
    }

    func testExistingOutputIsReplacedOnlyWhenAsked() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-force")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let document = try config()
        let output = root + "/model"
        try ModelDirectory.save(parameters: randomParameters(document.config, device: device), config: document, to: output, dtype: .f32, tokenizerFrom: nil)
        XCTAssertTrue(FileManager.default.createFile(atPath: output + "/stale.txt", contents: Data("old".utf8)))
        let second = randomParameters(document.config, device: device, seed: 99)
        assertThrows({ try ModelDirectory.save(parameters: second, config: document, to: output, dtype: .bf16, tokenizerFrom: nil) },
                     path: output, tensor: nil, .outputExists)
        XCTAssertEqual(try ModelDirectory.load(path: output, device: device).config.config.dtype, "float32", "the old model is untouched")

        try ModelDirectory.save(parameters: second, config: document, to: output + "/", dtype: .bf16, tokenizerFrom: nil, replacing: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/stale.txt"), "replaced whole, not merged")
        XCTAssertEqual(try ModelDirectory.load(path: output, device: device).config.config.dtype, "bfloat16")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["model"], "no temporary or old directory left")
        let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o755)
    }

    func testConfigIsWrittenBackWithItsKeysAndTheStoredDType() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-config")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // transformers 4 form, an unknown key and number spellings of our own: kept exactly.
        let v4 = try config(#""rope_theta": 50000, "rope_scaling": {"type": "linear", "factor": 2.0}, "zz_custom": [1, 2.50], "torch_dtype": "float32""#)
        let parameters = randomParameters(v4.config, device: device)
        try ModelDirectory.save(parameters: parameters, config: v4, to: root + "/v4", dtype: .bf16, tokenizerFrom: nil)
        let written = try String(contentsOfFile: root + "/v4/config.json", encoding: .utf8)
        XCTAssertEqual(written, try v4.settingDType(.bf16).text)
        XCTAssertTrue(written.contains("\"rope_theta\": 50000,") && written.contains("2.50") && written.contains("\"torch_dtype\": \"bfloat16\""), written)
        XCTAssertTrue(written.contains("\"dtype\": \"bfloat16\""), written)

        // transformers 5 form only: transformers 4 would run base 10000, so rope_theta/rope_scaling are added.
        let v5 = try config(#""rope_parameters": {"rope_type": "linear", "factor": 2.0, "rope_theta": 500000.0}"#)
        let saved = try ModelDirectory.save(parameters: parameters, config: v5, to: root + "/v5", dtype: .f32, tokenizerFrom: nil)
        XCTAssertEqual(saved.notes.count, 1)
        let reread = try ConfigDocument(contentsOf: URL(fileURLWithPath: root + "/v5"))
        XCTAssertEqual(reread.config.rope, v5.config.rope)
        let asV4 = try RoPEConfiguration(config: reread.json, headDim: 16, maxPositionEmbeddings: 4096, reading: .v4)
        XCTAssertEqual(asV4, v5.config.rope)
        for key in v5.json.keys where key != "dtype" && key != "torch_dtype" { XCTAssertEqual(reread.json[key], v5.json[key], key) }
    }

    func testTokenizerFilesAndGenerationConfigAreCopied() throws {
        let device = try CPUDevice(threads: 1)
        let root = try ConvertTestSupport.temporaryDirectory("dir-copy")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = root + "/source"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let fixture = ModelTestData.fixtures + "/tokenizers/smollm2-style"
        for name in ["tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(atPath: fixture + "/" + name, toPath: source + "/" + name)
        }
        try Data(#"{"bos_token_id": 1, "eos_token_id": 2}"#.utf8).write(to: URL(fileURLWithPath: source + "/generation_config.json"))
        try Data("{% for m in messages %}{{ m.content }}{% endfor %}".utf8).write(to: URL(fileURLWithPath: source + "/chat_template.jinja"))
        try Data("unrelated".utf8).write(to: URL(fileURLWithPath: source + "/README.md"))
        let document = try config()
        let written = try ModelDirectory.save(parameters: randomParameters(document.config, device: device), config: document,
                                              to: root + "/out", dtype: .f32, tokenizerFrom: source)
        let copied = ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "generation_config.json"]
        XCTAssertEqual(Set(written.files), Set(["model.safetensors", "config.json"] + copied))
        for name in copied {
            XCTAssertEqual(FileManager.default.contents(atPath: root + "/out/" + name), FileManager.default.contents(atPath: source + "/" + name), name)
        }
        let sizes = try written.files.map { try FileManager.default.attributesOfItem(atPath: root + "/out/" + $0)[.size] as! Int }
        XCTAssertEqual(written.byteCount, sizes.reduce(0, +))
    }
}
