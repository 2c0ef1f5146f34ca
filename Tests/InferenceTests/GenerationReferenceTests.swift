import Formats
import Foundation
import Inference
import Model
import Tensor
import Tokenization
import XCTest

/// Our KV-cache generation on SmolLM2-135M (converted from the GGUF) against transformers' `generate` with its own
/// cache on the same directory (scripts/check_generation.py): the same greedy tokens and, at every step, the same
/// logits (f32, within 1e-4 of the largest logit), with the model's RoPE and with a YaRN x2 override.
final class GenerationReferenceTests: XCTestCase {
    func testGreedyTokensAndLogitsMatchTransformers() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        let python = try InferenceTestSupport.python()
        let device = try CPUDevice(threads: 2)
        let plain = try LoadedModel(directory: directory, device: device)
        let tokenizer = plain.tokenizer
        let longText = String(repeating: "The quick brown fox jumps over the lazy dog near the river bank. ", count: 60)
        var prompts: [(ids: [Int32], rope: RoPEOverride?)] = [
            (tokenizer.modelTokens("The capital of France is"), nil),
            (tokenizer.modelTokens("<|im_start|>user\nWrite a haiku about the sea.<|im_end|>\n<|im_start|>assistant\n"), nil),
            (tokenizer.modelTokens(longText + "\nWhat animal jumps? The"), nil),
        ]
        prompts.append((prompts[2].ids, try RoPEOverride(parsing: "yarn:2")))
        let steps = 12
        let requests = prompts.map { prompt -> [String: Any] in
            var request: [String: Any] = ["ids": prompt.ids.map(Int.init), "max_new_tokens": steps]
            if let rope = prompt.rope { request["rope"] = ["rope_type": rope.kind.rawValue, "factor": rope.value] }
            return request
        }
        let root = try InferenceTestSupport.temporaryDirectory("generation-reference")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try JSONSerialization.data(withJSONObject: requests).write(to: URL(fileURLWithPath: root + "/requests.json"))
        let report = try InferenceTestSupport.runScript(python, "check_generation.py", [
            directory, "--requests", root + "/requests.json", "--logits-out", root + "/logits.safetensors",
        ])
        let results = try XCTUnwrap(report["results"] as? [[String: Any]])
        let logits = try SafetensorsCheckpoint(path: root + "/logits.safetensors")
        let yarn = try LoadedModel(directory: directory, device: device, rope: try RoPEOverride(parsing: "yarn:2"))
        for (index, prompt) in prompts.enumerated() {
            let loaded = prompt.rope == nil ? plain : yarn
            let expected = try XCTUnwrap(results[index]["tokens"] as? [Int]).map(Int32.init)
            let reference = try logits.floats(named: "logits_\(index)")
            let stops = Set(loaded.model.config.eosTokenIds.map(Int32.init))
            let (tokens, stepLogits) = greedySteps(loaded.model, prompt: prompt.ids, steps: steps, stops: stops)
            XCTAssertEqual(tokens, expected, "prompt \(index): ours \(tokens) transformers \(expected)")
            let error = InferenceTestSupport.relativeError(stepLogits, reference)
            print("prompt \(index) (\(prompt.ids.count) tokens, rope \(prompt.rope?.description ?? "model")): logits within \(error) of transformers over \(steps) steps")
            XCTAssertLessThan(error, 1e-4, "prompt \(index)")
            // The Generator's own loop gives the same tokens, without the EOS that ends them.
            let generator = loaded.makeGenerator()
            let result = generator.generate([GenerationRequest(prompt: prompt.ids, maxNewTokens: steps)])[0]
            let withoutEOS = expected.last.map { stops.contains($0) } == true ? Array(expected.dropLast()) : expected
            XCTAssertEqual(result.tokens, withoutEOS)
            XCTAssertEqual(result.finishReason, withoutEOS.count < expected.count ? FinishReason.stop : FinishReason.length)
            XCTAssertEqual(result.text, tokenizer.text(ofModelTokens: withoutEOS))
        }
    }

    /// Prefill in uneven chunks, then one token at a time, collecting each step's logits, until an EOS or `steps`.
    private func greedySteps(_ model: LlamaModel, prompt: [Int32], steps: Int, stops: Set<Int32>) -> ([Int32], [Float]) {
        let cache = KVCache(config: model.config, device: model.device, growthStep: 256)
        var hidden = model.forward([CachedChunk(cache: cache, tokens: Array(prompt.prefix(5)), ropeLength: prompt.count)])
        if prompt.count > 5 { hidden = model.forward([CachedChunk(cache: cache, tokens: Array(prompt.dropFirst(5)), ropeLength: prompt.count)]) }
        var tokens: [Int32] = [], all: [Float] = []
        for _ in 0..<steps {
            let last = model.logits(normedHidden: hidden.rows(hidden.shape[0] - 1..<hidden.shape[0])).floats()
            all += last
            let next = Int32(last.indices.max { last[$0] < last[$1] || (last[$0] == last[$1] && $0 > $1) }!)
            tokens.append(next)
            if stops.contains(next) { break }
            hidden = model.forward([CachedChunk(cache: cache, tokens: [next])])
        }
        return (tokens, all)
    }
}
