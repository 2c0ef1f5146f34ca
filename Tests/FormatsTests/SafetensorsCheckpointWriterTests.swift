import Foundation
import Formats
import XCTest

final class SafetensorsCheckpointWriterTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = try FormatsTestSupport.temporaryDirectory("checkpoint")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// huggingface_hub's greedy rule: a tensor over the limit gets its own shard without closing the
    /// current one; otherwise the shard closes when the next tensor would overflow it.
    func testShardPlanFollowsHuggingFaceHub() {
        let plan = SafetensorsShardPlan(tensors: [("a", 40), ("b", 50), ("c", 30), ("big", 500), ("d", 20), ("e", 100)], maxShardSize: 100)
        XCTAssertEqual(plan.shards, [["a", "b"], ["big"], ["c", "d"], ["e"]])
        XCTAssertEqual(plan.totalSize, 740)
        XCTAssertEqual(plan.fileNames, (1...4).map { "model-0000\($0)-of-00004.safetensors" })
        XCTAssertEqual(SafetensorsShardPlan(tensors: [("a", 10)], maxShardSize: 100).fileNames, ["model.safetensors"])
        XCTAssertEqual(SafetensorsShardPlan(tensors: (0..<12).map { ("t\($0)", 10) }, maxShardSize: 10).fileNames.last,
                       "model-00012-of-00012.safetensors")
    }

    static func tensors() -> [SafetensorsTensorToWrite] {
        let sizes: [(String, [Int], SafetensorsDType)] = [
            ("model.embed_tokens.weight", [16, 8], .bf16),
            ("model.layers.0.input_layernorm.weight", [8], .f32),
            ("model.layers.0.self_attn.q_proj.weight", [8, 8], .bf16),
            ("model.layers.0.self_attn.k_proj.weight", [4, 8], .bf16),
            ("model.layers.0.mlp.down_proj.weight", [8, 24], .f16),
            ("model.norm.weight", [8], .f32),
            ("lm_head.weight", [16, 8], .bf16),
        ]
        return sizes.enumerated().map { i, t in
            let n = t.1.reduce(1, *)
            return SafetensorsTensorToWrite(name: t.0, shape: t.1, floats: (0..<n).map { Float(i) + Float($0 % 16) / 8 }, as: t.2)
        }
    }

    func testShardedWriteReadsBack() throws {
        let written = try SafetensorsCheckpointWriter.write(Self.tensors(), to: directory, maxShardSize: 300)
        XCTAssertEqual(written, ["model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                                 "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
                                 "model.safetensors.index.json"])
        let checkpoint = try SafetensorsCheckpoint(path: directory)
        XCTAssertEqual(checkpoint.files.count, 4)
        XCTAssertEqual(checkpoint.index?.totalSize, 256 + 32 + 128 + 64 + 384 + 32 + 256)
        for (i, t) in Self.tensors().enumerated() {
            let n = t.shape.reduce(1, *)
            let expected = (0..<n).map { Float(i) + Float($0 % 16) / 8 }
            XCTAssertEqual(try checkpoint.floats(named: t.name), expected, t.name)  // all exact in 16 bits
            XCTAssertEqual(checkpoint.tensor(named: t.name)?.dtype, t.dtype)
            XCTAssertEqual(checkpoint.tensor(named: t.name)?.shape, t.shape)
        }
        let index = try String(contentsOfFile: directory + "/model.safetensors.index.json", encoding: .utf8)
        XCTAssertTrue(index.hasPrefix("{\n  \"metadata\": {\n    \"total_parameters\": 560,\n    \"total_size\": 1152\n  },\n  \"weight_map\": {\n    \"lm_head.weight\": \"model-00004-of-00004.safetensors\",\n"), index)
        XCTAssertTrue(index.hasSuffix("\"model.norm.weight\": \"model-00003-of-00004.safetensors\"\n  }\n}\n"), index)
    }

    /// transformers loads model.safetensors before an index, and an index before nothing: leftovers
    /// of an earlier layout must go.
    func testStaleWeightFilesAreRemoved() throws {
        for stale in ["model.safetensors", "model-00001-of-00009.safetensors", "model-00009-of-00009.safetensors"] {
            FormatsTestSupport.write([1, 2, 3], to: directory + "/" + stale)
        }
        FormatsTestSupport.write(Array("{}".utf8), to: directory + "/config.json")
        try SafetensorsCheckpointWriter.write(Self.tensors(), to: directory, maxShardSize: 300)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), [
            "config.json", "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors", "model.safetensors.index.json",
        ])
        XCTAssertEqual(try SafetensorsCheckpointWriter.write(Self.tensors(), to: directory), ["model.safetensors"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["config.json", "model.safetensors"])
        XCTAssertEqual(try SafetensorsCheckpoint(path: directory).tensorNames.count, 7)
    }

    func testCreatesTheDirectoryAndRefusesDuplicates() throws {
        let fresh = directory + "/out"
        try SafetensorsCheckpointWriter.write([], to: fresh)
        XCTAssertEqual(try SafetensorsCheckpoint(path: fresh).tensorNames, [])
        let twice = Self.tensors() + [Self.tensors()[0]]
        XCTAssertThrowsError(try SafetensorsCheckpointWriter.write(twice, to: fresh)) { error in
            XCTAssertEqual("\(error)", "safetensors \(fresh): tensor \"model.embed_tokens.weight\": appears twice in the header")
        }
    }

    /// The reference implementations read what we wrote and would have written the same bytes.
    func testPythonReferenceAgreesByteForByte() throws {
        _ = try FormatsTestSupport.requireTorchPython()
        try SafetensorsWriter.write(SafetensorsWriterTests.sampleTensors(), to: directory + "/single.safetensors")
        try SafetensorsCheckpointWriter.write(Self.tensors(), to: directory + "/sharded", maxShardSize: 300)
        let spec: [String: Any] = ["single": "single.safetensors", "sharded": "sharded",
                                   "order": Self.tensors().map(\.name), "max_shard_size": 300]
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: directory + "/expected.json"))
        let output = try FormatsTestSupport.runScript("check_safetensors_written.py", [directory])
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(summary["total_size"] as? Int, 1152)
        XCTAssertEqual((summary["shards"] as? [String: [String]])?.count, 4)
        XCTAssertEqual((summary["single"] as? [String: Any])?.count, 8)
    }
}
