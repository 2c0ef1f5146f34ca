import Foundation
import XCTest
@testable import InferenceServer

/// Non-streamed answers, field by field, against the shapes OpenAI documents.
final class ServerResponseShapeTests: XCTestCase {
    func testModelsAndHealth() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let models = try await server.send("GET", "/v1/models")
        XCTAssertEqual(models.status, 200)
        XCTAssertEqual(models.headers["content-type"], "application/json")
        let list = try models.object()
        XCTAssertEqual(list["object"] as? String, "list")
        let data = try XCTUnwrap(list["data"] as? [[String: Any]])
        XCTAssertEqual(data.count, 1)
        XCTAssertEqual(data[0]["id"] as? String, "scripted-model")
        XCTAssertEqual(data[0]["object"] as? String, "model")
        XCTAssertNotNil(data[0]["created"] as? Int)
        XCTAssertNotNil(data[0]["owned_by"] as? String)

        let health = try await server.send("GET", "/health")
        XCTAssertEqual(health.status, 200)
    }

    func testCompletionFields() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let reply = try await server.send("POST", "/v1/completions",
                                          json: #"{"model": "scripted-model", "prompt": "one two three", "max_tokens": 2}"#)
        XCTAssertEqual(reply.status, 200, reply.text)
        let body = try reply.object()
        XCTAssertEqual(Set(body.keys), ["id", "object", "created", "model", "choices", "usage"])
        XCTAssertTrue((body["id"] as? String)?.hasPrefix("cmpl-") == true)
        XCTAssertEqual(body["object"] as? String, "text_completion")
        let created = try XCTUnwrap(body["created"] as? Int)
        XCTAssertLessThan(abs(created - Int(Date().timeIntervalSince1970)), 60)
        XCTAssertEqual(body["model"] as? String, "scripted-model")
        let choices = try XCTUnwrap(body["choices"] as? [[String: Any]])
        XCTAssertEqual(choices.count, 1)
        XCTAssertEqual(Set(choices[0].keys), ["text", "index", "logprobs", "finish_reason"])
        XCTAssertEqual(choices[0]["text"] as? String, " THREE TWO")
        XCTAssertEqual(choices[0]["index"] as? Int, 0)
        XCTAssertTrue(choices[0]["logprobs"] is NSNull)
        XCTAssertEqual(choices[0]["finish_reason"] as? String, "length")
        let usage = try XCTUnwrap(body["usage"] as? [String: Any])
        XCTAssertEqual(usage["prompt_tokens"] as? Int, 3)
        XCTAssertEqual(usage["completion_tokens"] as? Int, 2)
        XCTAssertEqual(usage["total_tokens"] as? Int, 5)
    }

    func testPromptListStopStringsAndDefaults() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        // A one-element list is the same prompt; without max_tokens the model runs out of words first ("stop").
        let listed = try await server.send("POST", "/v1/completions", json: #"{"prompt": ["one two three"]}"#).object()
        let choice = try XCTUnwrap((listed["choices"] as? [[String: Any]])?.first)
        XCTAssertEqual(choice["text"] as? String, " THREE TWO ONE")
        XCTAssertEqual(choice["finish_reason"] as? String, "stop")

        for (stop, expected) in [(#""TWO""#, " THREE "), (#"["nothing", " TWO"]"#, " THREE")] {
            let cut = try await server.send("POST", "/v1/completions",
                                            json: #"{"prompt": "one two three", "stop": \#(stop)}"#).object()
            let text = (cut["choices"] as? [[String: Any]])?.first?["text"] as? String
            XCTAssertEqual(text, expected, "stop \(stop)")
            XCTAssertEqual((cut["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String, "stop")
        }

        // Two prompts, n = 2: four choices numbered prompt by prompt; usage counts each prompt once.
        let many = try await server.send("POST", "/v1/completions",
                                         json: #"{"prompt": ["a b", "c d e"], "n": 2, "max_tokens": 1}"#).object()
        let choices = try XCTUnwrap(many["choices"] as? [[String: Any]])
        XCTAssertEqual(choices.map { $0["index"] as? Int }, [0, 1, 2, 3])
        XCTAssertEqual(choices.map { $0["text"] as? String }, [" B", " B", " E", " E"])
        XCTAssertEqual((many["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 5)
        XCTAssertEqual((many["usage"] as? [String: Any])?["completion_tokens"] as? Int, 4)
    }

    func testParametersReachTheBackend() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        _ = try await server.send("POST", "/v1/completions", json: """
            {"prompt": "x", "max_tokens": 7, "temperature": 0.5, "top_p": 0.9, "seed": 42, "stop": ["a", "b"]}
            """)
        _ = try await server.send("POST", "/v1/completions", json: #"{"prompt": "x", "seed": -1}"#)
        _ = try await server.send("POST", "/v1/chat/completions", json: #"{"messages": [{"role": "user", "content": "x"}]}"#)
        _ = try await server.send("POST", "/v1/chat/completions",
                                  json: #"{"messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 5, "temperature": 0}"#)
        XCTAssertEqual(server.backend.received, [
            CompletionParameters(maxTokens: 7, temperature: 0.5, topP: 0.9, seed: 42, stop: ["a", "b"]),
            // OpenAI's defaults: 16 tokens for completions, temperature 1; a negative seed keeps its bits.
            CompletionParameters(maxTokens: 16, temperature: 1, topP: 1, seed: UInt64.max, stop: []),
            // Chat without max_tokens gets the server's defaultChatMaxTokens (64 in TestServer).
            CompletionParameters(maxTokens: 64, temperature: 1, topP: 1, seed: nil, stop: []),
            CompletionParameters(maxTokens: 5, temperature: 0, topP: 1, seed: nil, stop: []),
        ])
    }

    func testChatFields() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let reply = try await server.send("POST", "/v1/chat/completions", json: """
            {"model": "scripted-model", "max_tokens": 3,
             "messages": [{"role": "system", "content": "be brief"},
                          {"role": "user", "content": [{"type": "text", "text": "hello "}, {"type": "text", "text": "there"}]}]}
            """)
        XCTAssertEqual(reply.status, 200, reply.text)
        let body = try reply.object()
        XCTAssertEqual(Set(body.keys), ["id", "object", "created", "model", "choices", "usage"])
        XCTAssertTrue((body["id"] as? String)?.hasPrefix("chatcmpl-") == true)
        XCTAssertEqual(body["object"] as? String, "chat.completion")
        XCTAssertEqual(body["model"] as? String, "scripted-model")
        let choice = try XCTUnwrap((body["choices"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(choice.keys), ["index", "message", "logprobs", "finish_reason"])
        XCTAssertEqual(choice["index"] as? Int, 0)
        XCTAssertTrue(choice["logprobs"] is NSNull)
        let message = try XCTUnwrap(choice["message"] as? [String: Any])
        XCTAssertEqual(message["role"] as? String, "assistant")
        // The prompt is "system: be brief user: hello there assistant:"; reversed words, three of them.
        XCTAssertEqual(message["content"] as? String, " ASSISTANT: THERE HELLO")
        XCTAssertEqual(choice["finish_reason"] as? String, "length")
        let usage = try XCTUnwrap(body["usage"] as? [String: Any])
        XCTAssertEqual(usage["prompt_tokens"] as? Int, 7)
        XCTAssertEqual(usage["completion_tokens"] as? Int, 3)
        XCTAssertEqual(usage["total_tokens"] as? Int, 10)
    }
}
