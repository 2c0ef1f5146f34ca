import Foundation
@testable import Inference
import Model
import Tensor
import Tokenization
import XCTest

/// The generator's contracts on the real SmolLM2-135M: chunked prefill equals prefill at once and the training
/// forward, a batch equals each prompt alone, prefix reuse changes nothing, stop strings and limits, seeded sampling.
final class GeneratorTests: XCTestCase {
    nonisolated(unsafe) static var loaded: LoadedModel?

    func model() throws -> LoadedModel {
        if let loaded = Self.loaded { return loaded }
        let made = try LoadedModel(directory: try InferenceTestSupport.smolLM2Directory(), device: try CPUDevice(threads: 2))
        Self.loaded = made
        return made
    }

    func testChunkedPrefillEqualsPrefillAtOnceAndTheTrainingForward() throws {
        let loaded = try model()
        let prompt = loaded.tokenizer.modelTokens(String(repeating: "Chunked prefill must not change a single logit. ", count: 25))
        XCTAssertGreaterThan(prompt.count, 200)
        let full = loaded.model.logits(LlamaInput(singleDocument: prompt)).floats()
        let vocab = loaded.model.config.vocabSize
        let lastRow = Array(full[(prompt.count - 1) * vocab..<prompt.count * vocab])
        let generator = loaded.makeGenerator()
        var atOnce: [Float] = []
        for chunk in [prompt.count, 64, 37, 1] {
            generator.prefillChunk = chunk
            let logits = generator.prefill(prompt, cache: KVCache(config: loaded.model.config, device: loaded.model.device, growthStep: 100))
            if atOnce.isEmpty { atOnce = logits }
            let error = InferenceTestSupport.relativeError(logits, atOnce)
            print("prefill in chunks of \(chunk): within \(error) of prefill at once")
            XCTAssertLessThan(error, 2e-5, "chunk \(chunk)")
        }
        XCTAssertLessThan(InferenceTestSupport.relativeError(atOnce, lastRow), 2e-5, "cache path against the training forward")
    }

    func testBatchEqualsEachPromptAloneAndStreamsItsText() throws {
        let loaded = try model()
        let texts = ["The capital of France is", "def fibonacci(n):\n   ", "Once upon a time, in a small village by the sea, there lived"]
        let requests = texts.map { GenerationRequest(prompt: loaded.tokenizer.modelTokens($0), maxNewTokens: 10) }
        let alone = requests.map { loaded.makeGenerator().generate([$0])[0] }
        var streamed = Array(repeating: "", count: requests.count)
        let batch = loaded.makeGenerator().generate(requests, onText: { index, piece in streamed[index] += piece })
        for i in requests.indices {
            XCTAssertEqual(batch[i].tokens, alone[i].tokens, texts[i])
            XCTAssertEqual(batch[i].text, alone[i].text)
            XCTAssertEqual(streamed[i], batch[i].text, "streamed pieces concatenate to the text")
            XCTAssertEqual(batch[i].promptTokens, requests[i].prompt.count)
        }
        XCTAssertTrue(batch[0].text.hasPrefix(" Paris"), batch[0].text)
    }

    func testPrefixReuseGivesTheSameResult() throws {
        let loaded = try model()
        let haystack = String(repeating: "The grass is green. The sky is blue. ", count: 20)
        let first = loaded.tokenizer.modelTokens(haystack + "The pass key is 4821. What is the pass key? The pass key is")
        let second = loaded.tokenizer.modelTokens(haystack + "The pass key is 7730. What is the pass key? The pass key is")
        let generator = loaded.makeGenerator()
        _ = generator.generate([GenerationRequest(prompt: first, maxNewTokens: 4)])
        let reused = generator.generate([GenerationRequest(prompt: second, maxNewTokens: 4)])[0]
        let fresh = loaded.makeGenerator().generate([GenerationRequest(prompt: second, maxNewTokens: 4)])[0]
        XCTAssertGreaterThan(reused.reusedPromptTokens, second.count / 2)
        XCTAssertEqual(fresh.reusedPromptTokens, 0)
        XCTAssertEqual(reused.tokens, fresh.tokens)
        // The same prompt again reuses all but its last token.
        let again = generator.generate([GenerationRequest(prompt: second, maxNewTokens: 4)])[0]
        XCTAssertEqual(again.reusedPromptTokens, second.count - 1)
        XCTAssertEqual(again.tokens, fresh.tokens)
    }

    func testStopStringsAndTokenLimit() throws {
        let loaded = try model()
        let prompt = loaded.tokenizer.modelTokens("Count: one, two, three, four, five,")
        let free = loaded.makeGenerator().generate([GenerationRequest(prompt: prompt, maxNewTokens: 12)])[0]
        XCTAssertEqual(free.finishReason, FinishReason.length)
        XCTAssertEqual(free.tokens.count, 12)
        // Stop at the second comma of the free continuation: the text ends just before it.
        let commas = free.text.indices.filter { free.text[$0] == "," }
        try XCTSkipIf(commas.count < 2, "the continuation \(free.text.debugDescription) has fewer than two commas")
        let expected = String(free.text[..<commas[1]])
        var streamed = ""
        let stopped = loaded.makeGenerator().generate([GenerationRequest(prompt: prompt, maxNewTokens: 12, stop: [",", "zzz"])], onText: { _, piece in
            streamed += piece
        })[0]
        let firstComma = String(free.text[..<commas[0]])
        XCTAssertEqual(stopped.text, firstComma)
        XCTAssertEqual(stopped.finishReason, FinishReason.stop)
        XCTAssertEqual(streamed, stopped.text)
        // A multi-character stop string that spans tokens: cut at its first occurrence.
        let stop = String(expected.suffix(4)) + ","
        let cut = try XCTUnwrap(free.text.range(of: stop)).lowerBound
        let second = loaded.makeGenerator().generate([GenerationRequest(prompt: prompt, maxNewTokens: 12, stop: [stop])])[0]
        XCTAssertEqual(second.text, String(free.text[..<cut]))
        XCTAssertEqual(loaded.makeGenerator().generate([GenerationRequest(prompt: prompt, maxNewTokens: 0)])[0].tokens, [])
    }

    func testSamplingIsReproducibleForASeed() throws {
        let loaded = try model()
        let prompt = loaded.tokenizer.modelTokens("My favourite colour is")
        func run(_ sampling: SamplingParameters) -> [Int32] {
            loaded.makeGenerator().generate([GenerationRequest(prompt: prompt, maxNewTokens: 8, sampling: sampling)])[0].tokens
        }
        let a = run(SamplingParameters(temperature: 1.2, topP: 0.95, seed: 7))
        XCTAssertEqual(a, run(SamplingParameters(temperature: 1.2, topP: 0.95, seed: 7)))
        let others = (8..<12).map { run(SamplingParameters(temperature: 1.2, topP: 0.95, seed: $0)) }
        XCTAssertTrue(others.contains { $0 != a }, "different seeds sample different continuations")
        XCTAssertEqual(run(SamplingParameters(temperature: 1.0, topP: 1e-9, seed: 3)), run(.greedy), "top-p keeping one token is greedy")
    }
}
