import Foundation
import Inference
import Tensor
import XCTest

/// `longctx generate` on the real SmolLM2-135M: its stdout is the greedy continuation the Generator library gives,
/// --chat renders the prompt as transformers' apply_chat_template does, and several prompts print JSON lines in order.
final class CLIGenerateTests: XCTestCase {
    nonisolated(unsafe) static var loaded: LoadedModel?

    func model() throws -> LoadedModel {
        if let loaded = Self.loaded { return loaded }
        let made = try LoadedModel(directory: try InferenceTestSupport.smolLM2Directory(), device: try CPUDevice(threads: 2))
        Self.loaded = made
        return made
    }

    func testGeneratePrintsOnlyTheGreedyContinuation() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        let prompt = "The capital of France is"
        let stdout = try CLITestSupport.longctxSucceeding(["generate", "--model", directory, "--prompt", prompt, "--max-new-tokens", "8"])
        let loaded = try model()
        let expected = loaded.makeGenerator().generate([GenerationRequest(prompt: loaded.promptTokens(prompt), maxNewTokens: 8)])[0]
        XCTAssertEqual(stdout, expected.text + "\n", "stdout is the continuation (and a newline), nothing else")
        XCTAssertTrue(stdout.hasPrefix(" Paris"), stdout)
    }

    func testSeveralPromptsPrintJSONLinesInOrder() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        let prompts = ["The capital of France is", "def fibonacci(n):\n   ", "Once upon a time, in a small village by the sea,"]
        let stdout = try CLITestSupport.longctxSucceeding(["generate", "--model", directory, "--max-new-tokens", "6"]
            + prompts.flatMap { ["--prompt", $0] })
        let lines = stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, prompts.count, stdout)
        let loaded = try model()
        for (index, line) in lines.enumerated() where index < prompts.count {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            let tokens = loaded.promptTokens(prompts[index])
            let alone = loaded.makeGenerator().generate([GenerationRequest(prompt: tokens, maxNewTokens: 6)])[0]
            XCTAssertEqual(object["index"] as? Int, index)
            XCTAssertEqual(object["text"] as? String, alone.text, prompts[index])
            XCTAssertEqual(object["prompt_tokens"] as? Int, tokens.count)
            XCTAssertEqual(object["completion_tokens"] as? Int, alone.tokens.count)
            XCTAssertEqual(object["finish_reason"] as? String, alone.finishReason.rawValue)
        }
    }

    /// The chat prompt's tokens are transformers' `apply_chat_template(add_generation_prompt=True)` ids: the library
    /// path `generate --chat` takes gives exactly them, the CLI reports their count, and its greedy answer is the
    /// Generator's on transformers' ids.
    func testChatUsesTheTemplateTransformersApplies() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        let messages = ["What is the capital of France?", "Write one short sentence about the sea, the sky and the wind."]
        let reference = try CLITestSupport.python("""
            import json, sys
            from transformers import AutoTokenizer
            tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
            result = []
            for message in sys.argv[2:]:
                ids = tokenizer.apply_chat_template([{"role": "user", "content": message}], add_generation_prompt=True, tokenize=True)
                if hasattr(ids, "keys"):
                    ids = ids["input_ids"]
                result.append([int(i) for i in ids])
            print(json.dumps({"ids": result}))
            """, [directory] + messages)
        let referenceIDs = try XCTUnwrap(reference["ids"] as? [[Int]])
        XCTAssertEqual(referenceIDs.count, messages.count)

        let loaded = try model()
        let formatter = try ChatFormatter(model: loaded)
        XCTAssertEqual(formatter.origin, "model directory", "the converted SmolLM2 directory carries its own template")
        for (message, ids) in zip(messages, referenceIDs) {
            XCTAssertEqual(loaded.tokenizer.modelTokens(try formatter.prompt([("user", message)])).map(Int.init), ids, message)
        }

        let stdout = try CLITestSupport.longctxSucceeding(["generate", "--model", directory, "--chat", "--max-new-tokens", "10"]
            + messages.flatMap { ["--prompt", $0] })
        let lines = stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, messages.count, stdout)
        var texts: [String] = []
        for (index, line) in lines.enumerated() where index < referenceIDs.count {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertEqual(object["prompt_tokens"] as? Int, referenceIDs[index].count, "prompt tokens of \(messages[index])")
            let expected = loaded.makeGenerator().generate([GenerationRequest(prompt: referenceIDs[index].map(Int32.init), maxNewTokens: 10)])[0]
            let text = try XCTUnwrap(object["text"] as? String)
            XCTAssertEqual(text, expected.text, "greedy answer on transformers' chat ids")
            XCTAssertFalse(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "an answer, not an empty turn")
            texts.append(text)
        }
        // One prompt prints the bare answer: the same as its line in the batch.
        let single = try CLITestSupport.longctxSucceeding(["generate", "--model", directory, "--chat", "--max-new-tokens", "10",
                                                           "--prompt", messages[0]])
        XCTAssertEqual(single, (texts.first ?? "") + "\n")
    }
}
