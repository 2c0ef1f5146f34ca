import Foundation
import Formats
import XCTest

/// The real SmolLM2-135M-Instruct Q4_1 GGUF through our importer against transformers'
/// `from_pretrained(dir, gguf_file=…)` (scripts/check_gguf_import.py): same config, same HF names
/// and shapes, and bit-identical float32 values. Both dequantize in float32 with the same operation
/// order (gguf-py's numpy code; ours follows it), so the tolerance is zero for every value and
/// SHA-256; only the float64 sums, which the two sides add up in different orders, get 1e-9.
final class GGUFSmolLM2ImportTests: XCTestCase {
    static var modelPath: String { GGUFSmolLM2Tests.modelPath }

    func openModel() throws -> GGUFModelImport {
        guard access(Self.modelPath, R_OK) == 0 else {
            if FormatsTestSupport.requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but \(Self.modelPath) is missing") }
            throw XCTSkip("no model at \(Self.modelPath): run scripts/setup-assets.sh")
        }
        return try GGUFModelImport(path: Self.modelPath)
    }

    func testConfigAndLayout() throws {
        let model = try openModel()
        let c = model.config
        XCTAssertEqual(c.architecture, "llama")
        XCTAssertEqual([c.vocabSize, c.hiddenSize, c.intermediateSize, c.numHiddenLayers], [49152, 576, 1536, 30])
        XCTAssertEqual([c.numAttentionHeads, c.numKeyValueHeads, c.headDim, c.maxPositionEmbeddings], [9, 3, 64, 8192])
        XCTAssertEqual(c.ropeTheta, 100_000)
        XCTAssertTrue(c.tieWordEmbeddings)
        XCTAssertEqual(model.tensors.count, 1 + 30 * 9 + 1)
        XCTAssertEqual(model.tensor(named: "model.layers.29.self_attn.k_proj.weight")?.shape, [192, 576])
        XCTAssertEqual(model.tensor(named: "model.embed_tokens.weight")?.type, .q8_0)
    }

    func testMatchesTransformers() throws {
        let model = try openModel()
        let output = try FormatsTestSupport.runScript("check_gguf_import.py", [Self.modelPath])
        let reference = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(reference["model_dtype"] as? String, "torch.float32")
        XCTAssertEqual(reference["lm_head_is_embedding"] as? Bool, true)

        let config = try XCTUnwrap(reference["config"] as? [String: Any])
        let c = model.config
        XCTAssertEqual(config["vocab_size"] as? Int, c.vocabSize)
        XCTAssertEqual(config["hidden_size"] as? Int, c.hiddenSize)
        XCTAssertEqual(config["intermediate_size"] as? Int, c.intermediateSize)
        XCTAssertEqual(config["num_hidden_layers"] as? Int, c.numHiddenLayers)
        XCTAssertEqual(config["num_attention_heads"] as? Int, c.numAttentionHeads)
        XCTAssertEqual(config["num_key_value_heads"] as? Int, c.numKeyValueHeads)
        XCTAssertEqual(config["head_dim"] as? Int, c.headDim)
        XCTAssertEqual(config["max_position_embeddings"] as? Int, c.maxPositionEmbeddings)
        XCTAssertEqual(config["rms_norm_eps"] as? Double, c.rmsNormEps)
        XCTAssertEqual(config["rope_theta"] as? Double, c.ropeTheta)
        XCTAssertEqual(config["bos_token_id"] as? Int, c.bosTokenId)
        XCTAssertEqual(config["eos_token_id"] as? Int, c.eosTokenId)
        XCTAssertEqual(config["tie_word_embeddings"] as? Bool, c.tieWordEmbeddings)

        let tensors = try XCTUnwrap(reference["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(tensors.count, 15)
        var exactHashes = 0
        for (name, theirs) in tensors.sorted(by: { $0.key < $1.key }) {
            // Tied: transformers' lm_head is the embedding; ours has no separate lm_head tensor.
            let source = name == "lm_head.weight" && c.tieWordEmbeddings ? "model.embed_tokens.weight" : name
            let t = try XCTUnwrap(model.tensor(named: source), name)
            XCTAssertEqual(t.shape, theirs["shape"] as? [Int], name)
            let ours = try model.floats(t)
            let first = try XCTUnwrap(theirs["first"] as? [Double])
            XCTAssertEqual(ours.prefix(first.count).map(\.bitPattern), first.map { Float($0).bitPattern }, name)
            let index = try XCTUnwrap(theirs["spread_index"] as? [Int])
            let spread = try XCTUnwrap(theirs["spread"] as? [Double])
            XCTAssertEqual(index.map { ours[$0].bitPattern }, spread.map { Float($0).bitPattern }, name)
            let sum = ours.reduce(0.0) { $0 + Double($1) }
            let sumsq = ours.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertEqual(sum, try XCTUnwrap(theirs["sum"] as? Double), accuracy: 1e-9 * max(1, sumsq), name)
            XCTAssertEqual(sumsq, try XCTUnwrap(theirs["sumsq"] as? Double), accuracy: 1e-9 * sumsq, name)
            if let hash = theirs["sha256"] as? String {
                let bytes = ours.withUnsafeBytes { Array($0) }
                XCTAssertEqual(SHA256.hex(bytes), hash, "\(name): float32 bytes differ from transformers'")
                exactHashes += 1
            }
        }
        XCTAssertGreaterThanOrEqual(exactHashes, 12, "q/k/v/o, MLP and norms are compared whole")
    }

    /// Dequantizing (and un-permuting) every parameter of the 135M model; the figure goes to the log.
    func testWholeModelDequantizationTime() throws {
        let model = try openModel()
        var best = Double.infinity
        var elements = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            elements = 0
            for t in model.tensors { elements += try model.floats(t).count }
            let d = ContinuousClock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        XCTAssertEqual(elements, 134_515_008)
        print("SmolLM2-135M Q4_1: dequantized \(elements) parameters in \(String(format: "%.3f", best)) s (best of 3)")
    }
}
