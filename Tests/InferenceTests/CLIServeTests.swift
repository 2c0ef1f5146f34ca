import Foundation
import Inference
import Tensor
import XCTest

/// `longctx serve` on the real SmolLM2-135M, spoken to over plain HTTP: the model listing, greedy completions equal
/// to `longctx generate`'s (streamed or not), a too-long prompt refused with 400, and `longctx eval passkey` through
/// the endpoint giving exactly what it gives on the model directory; SIGTERM ends the server with status 0.
final class CLIServeTests: XCTestCase {
    func testServeAnswersAsGenerateAndEvalThroughItMatchesLocal() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        let server = try CLITestSupport.Child(["serve", "--model", directory, "--port", "0"])
        var listening: (name: String, url: String)?
        let started = server.wait(upTo: 180) {
            listening = Self.listeningLine(server.stderr)
            return listening != nil
        }
        guard started, let (name, base) = listening else {
            return XCTFail("serve printed no 'serving NAME at URL' line:\n\(server.stderr.suffix(4000))")
        }
        XCTAssertEqual(name, URL(fileURLWithPath: directory).lastPathComponent, "the served name defaults to the directory's")

        let models = try CLITestSupport.http("GET", base + "/models")
        XCTAssertEqual(models.status, 200, models.text)
        let listed = try XCTUnwrap(try models.json()["data"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["id"] as? String }, [name])

        // Greedy completion: the same text as `longctx generate`, streamed or not.
        let prompt = "The capital of France is"
        let generated = try CLITestSupport.longctxSucceeding(["generate", "--model", directory, "--prompt", prompt, "--max-new-tokens", "8"])
        let request: [String: Any] = ["model": name, "prompt": prompt, "max_tokens": 8, "temperature": 0]
        let completion = try CLITestSupport.http("POST", base + "/completions", json: request)
        XCTAssertEqual(completion.status, 200, completion.text)
        let choice = try XCTUnwrap((try completion.json()["choices"] as? [[String: Any]])?.first, completion.text)
        let text = try XCTUnwrap(choice["text"] as? String)
        XCTAssertEqual(text + "\n", generated)
        XCTAssertEqual(choice["finish_reason"] as? String, "length")

        var streamRequest = request
        streamRequest["stream"] = true
        let stream = try CLITestSupport.http("POST", base + "/completions", json: streamRequest)
        XCTAssertEqual(stream.status, 200, stream.text)
        let events = try CLITestSupport.serverSentEvents(stream.text)
        XCTAssertGreaterThan(events.count, 1, "the text arrives in pieces")
        let streamed = events.compactMap { ($0["choices"] as? [[String: Any]])?.first?["text"] as? String }.joined()
        XCTAssertEqual(streamed, text, "streaming concatenates to the non-streamed text")

        // A prompt longer than the model's context is refused before any generation.
        let loaded = try LoadedModel(directory: directory, device: try CPUDevice(threads: 1))
        let context = loaded.model.config.maxPositionEmbeddings
        var long = ""
        while loaded.promptTokens(long).count <= context { long += String(repeating: "The sky is blue and the grass is green. ", count: 200) }
        let refused = try CLITestSupport.http("POST", base + "/completions", json: ["model": name, "prompt": long, "max_tokens": 4])
        XCTAssertEqual(refused.status, 400, refused.text.prefix(500).description)
        let error = try XCTUnwrap(try refused.json()["error"] as? [String: Any], refused.text)
        XCTAssertTrue((error["message"] as? String ?? "").contains("maximum context length is \(context) tokens"), "\(error)")

        // The same passkey samples through the endpoint and on the directory: same prompts, outputs and scores.
        let root = try InferenceTestSupport.temporaryDirectory("cli-serve")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let common = ["--lengths", "600,1200", "--samples", "2"]
        try CLITestSupport.longctxSucceeding(["eval", "passkey", "--endpoint", base, "--tokenizer", directory, "--out", root + "/endpoint"] + common)
        try CLITestSupport.longctxSucceeding(["eval", "passkey", "--model", directory, "--out", root + "/local"] + common)
        let throughServer = try CLITestSupport.records(root + "/endpoint")
        let local = try CLITestSupport.records(root + "/local")
        XCTAssertEqual(throughServer.count, 4)
        XCTAssertEqual(Set(throughServer.compactMap { $0["id"] as? String }).count, 4, "one record per sample")
        XCTAssertEqual(try CLITestSupport.comparable(throughServer), try CLITestSupport.comparable(local),
                       "per sample id: prompt hash, output and scores")

        server.signal(SIGTERM)
        let exit = server.finish()
        XCTAssertFalse(exit.signalled, "SIGTERM is handled, not fatal")
        XCTAssertEqual(exit.status, 0, server.stderr.suffix(2000).description)
    }

    /// (name, base URL) from "serving NAME at http://HOST:PORT/v1 (...)".
    static func listeningLine(_ stderr: String) -> (name: String, url: String)? {
        for line in stderr.split(separator: "\n") where line.hasPrefix("serving ") {
            let words = line.split(separator: " ")
            guard words.count >= 4, words[2] == "at", words[3].hasPrefix("http://"), words[3].hasSuffix("/v1") else { continue }
            let url = String(words[3])
            guard let port = URL(string: url)?.port, port > 0 else { continue }
            return (String(words[1]), url)
        }
        return nil
    }
}
