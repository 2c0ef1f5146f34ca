import Foundation
import XCTest
@testable import InferenceServer

/// Every error is OpenAI's object {"error": {"message", "type", "param", "code"}} with the status vLLM gives.
final class ServerErrorTests: XCTestCase {
    private func checkError(_ server: TestServer, _ method: String, _ path: String, json: String?,
                            status: Int, type: String = "invalid_request_error", param: String? = nil,
                            messageContains: String? = nil, file: StaticString = #filePath, line: UInt = #line) async throws {
        let reply = try await server.send(method, path, json: json)
        XCTAssertEqual(reply.status, status, reply.text, file: file, line: line)
        XCTAssertEqual(reply.headers["content-type"], "application/json", file: file, line: line)
        let body = try reply.object(file: file, line: line)
        XCTAssertEqual(Set(body.keys), ["error"], file: file, line: line)
        let error = try XCTUnwrap(body["error"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(Set(error.keys), ["message", "type", "param", "code"], file: file, line: line)
        XCTAssertEqual(error["type"] as? String, type, file: file, line: line)
        let message = try XCTUnwrap(error["message"] as? String, file: file, line: line)
        XCTAssertFalse(message.isEmpty, file: file, line: line)
        if let messageContains { XCTAssertTrue(message.contains(messageContains), message, file: file, line: line) }
        if let param {
            XCTAssertEqual(error["param"] as? String, param, file: file, line: line)
        } else {
            XCTAssertTrue(error["param"] is NSNull, "param: \(error["param"] ?? "missing")", file: file, line: line)
        }
    }

    func testInvalidRequestsAre400() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let completions = "/v1/completions"
        try await checkError(server, "POST", completions, json: "{not json", status: 400, messageContains: "not valid JSON")
        try await checkError(server, "POST", completions, json: "", status: 400)
        try await checkError(server, "POST", completions, json: #"{"max_tokens": 3}"#, status: 400, param: "prompt")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "max_tokens": -1}"#, status: 400,
                             param: "max_tokens", messageContains: "at least 1")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "max_tokens": 0}"#, status: 400, param: "max_tokens")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "max_tokens": "ten"}"#, status: 400, param: "max_tokens")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "temperature": -0.5}"#, status: 400, param: "temperature")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "top_p": 0}"#, status: 400, param: "top_p")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "top_p": 1.5}"#, status: 400, param: "top_p")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "n": 0}"#, status: 400, param: "n")
        try await checkError(server, "POST", completions, json: #"{"prompt": [], "max_tokens": 1}"#, status: 400, param: "prompt")
        try await checkError(server, "POST", completions, json: #"{"prompt": [1, 2, 3]}"#, status: 400, param: "prompt",
                             messageContains: "token ids")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "stop": 5}"#, status: 400, param: "stop")
        try await checkError(server, "POST", completions, json: #"{"prompt": "x", "stream_options": {"include_usage": true}}"#,
                             status: 400, param: "stream_options")
        // The backend's own refusal (a prompt too long for the context) is the client's fault too.
        try await checkError(server, "POST", completions, json: #"{"prompt": "TOO_LONG"}"#, status: 400, param: "prompt")

        let chat = "/v1/chat/completions"
        try await checkError(server, "POST", chat, json: #"{"max_tokens": 3}"#, status: 400, param: "messages")
        try await checkError(server, "POST", chat, json: #"{"messages": []}"#, status: 400, param: "messages")
        try await checkError(server, "POST", chat, json: #"{"messages": [{"role": "user"}]}"#, status: 400, param: "messages[0].content")
        try await checkError(server, "POST", chat, json: #"{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}"#,
                             status: 400, param: "messages[0].content")
        try await checkError(server, "POST", chat, json: #"{"messages": [{"role": "tool", "content": "x"}]}"#, status: 400,
                             param: "messages")
        XCTAssertEqual(server.backend.received.count, 1, "only TOO_LONG, which only the backend can judge, reached it")
    }

    func testUnknownModelIs404AsInVLLM() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        try await checkError(server, "POST", "/v1/completions", json: #"{"model": "gpt-4", "prompt": "x"}"#, status: 404,
                             param: "model", messageContains: "The model `gpt-4` does not exist.")
        try await checkError(server, "POST", "/v1/chat/completions",
                             json: #"{"model": "gpt-4", "messages": [{"role": "user", "content": "x"}]}"#,
                             status: 404, param: "model")
        let code = try await server.send("POST", "/v1/completions", json: #"{"model": "gpt-4", "prompt": "x"}"#).object()
        XCTAssertEqual((code["error"] as? [String: Any])?["code"] as? String, "model_not_found")
    }

    func testUnknownRoutesAre404() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        try await checkError(server, "GET", "/v1/nothing", json: nil, status: 404, messageContains: "GET /v1/nothing")
        try await checkError(server, "GET", "/v1/completions", json: nil, status: 404)
        try await checkError(server, "POST", "/v2/completions", json: #"{"prompt": "x"}"#, status: 404)
    }

    func testBackendFailureIs500() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        try await checkError(server, "POST", "/v1/completions", json: #"{"prompt": "FAIL now"}"#, status: 500, type: "server_error",
                             messageContains: "scripted backend failure")
        try await checkError(server, "POST", "/v1/chat/completions", json: #"{"messages": [{"role": "user", "content": "FAIL"}]}"#,
                             status: 500, type: "server_error")
        // The server keeps serving after a failure.
        let reply = try await server.send("POST", "/v1/completions", json: #"{"prompt": "still here"}"#)
        XCTAssertEqual(reply.status, 200)
    }

    func testAPIKey() async throws {
        let server = try await TestServer.start(apiKey: "sekrit")
        addTeardownBlock { await server.stop() }
        try await checkError(server, "GET", "/v1/models", json: nil, status: 401)
        let wrong = try await server.send("GET", "/v1/models", headers: ["Authorization": "Bearer nope"])
        XCTAssertEqual(wrong.status, 401)
        let right = try await server.send("GET", "/v1/models", headers: ["Authorization": "Bearer sekrit"])
        XCTAssertEqual(right.status, 200)
        let health = try await server.send("GET", "/health")
        XCTAssertEqual(health.status, 200)
    }
}
