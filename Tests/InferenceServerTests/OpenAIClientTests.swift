import Foundation
import XCTest
@testable import InferenceServer

/// The client against the real server (and a canned one for what the real server never answers).
final class OpenAIClientTests: XCTestCase {
    private func client(_ url: String, apiKey: String? = nil, model: String? = nil,
                        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(10))) throws -> OpenAIClient {
        let client = try OpenAIClient(baseURL: url, apiKey: apiKey, model: model, timeout: .seconds(30),
                                      connectTimeout: .milliseconds(300), retryPolicy: retry)
        addTeardownBlock { try await client.shutdown() }
        return client
    }

    func testBaseURLForms() throws {
        XCTAssertEqual(try OpenAIClient.apiRoot("http://127.0.0.1:8000"), "http://127.0.0.1:8000/v1")
        XCTAssertEqual(try OpenAIClient.apiRoot("http://127.0.0.1:8000/"), "http://127.0.0.1:8000/v1")
        XCTAssertEqual(try OpenAIClient.apiRoot("http://127.0.0.1:8000/v1"), "http://127.0.0.1:8000/v1")
        XCTAssertEqual(try OpenAIClient.apiRoot("https://host/v1/"), "https://host/v1")
        XCTAssertThrowsError(try OpenAIClient.apiRoot("127.0.0.1:8000"))
        XCTAssertThrowsError(try OpenAIClient.apiRoot("ftp://host"))
    }

    func testModelsAndDefaultModel() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        for url in [server.baseURL, server.baseURL + "/", server.baseURL + "/v1", server.baseURL + "/v1/"] {
            let client = try client(url)
            let models = try await client.models()
            XCTAssertEqual(models, ["scripted-model"], url)
            let model = try await client.model()
            XCTAssertEqual(model, "scripted-model")
        }
        let named = try client(server.baseURL, model: "other-model")
        do {
            _ = try await named.complete(prompt: "x")
            XCTFail("an unknown model must fail")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error.status, 404)
            XCTAssertTrue(error.description.contains("The model `other-model` does not exist."), error.description)
        }
    }

    func testStreamingAndWholeAnswersAgree() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let client = try client(server.baseURL)
        let parameters = CompletionParameters(maxTokens: 4, temperature: 0, stop: ["NEVER"])
        let prompt = "the quick brown fox jumps over"

        let pieces = LockedValue<[String]>([])
        let whole = try await client.complete(prompt: prompt, parameters: parameters) { pieces.value.append($0) }
        XCTAssertEqual(whole, CompletionOutcome(text: " OVER JUMPS FOX BROWN", finishReason: "length",
                                                promptTokens: 6, completionTokens: 4))
        XCTAssertEqual(pieces.value, [whole.text])

        pieces.value = []
        let streamed = try await client.complete(prompt: prompt, parameters: parameters, stream: true) { pieces.value.append($0) }
        XCTAssertEqual(streamed, whole, "same text, finish reason and usage (include_usage)")
        XCTAssertEqual(pieces.value, [" OVER", " JUMPS", " FOX", " BROWN"])

        let messages = [ChatMessage(role: "user", content: "hello there")]
        let chat = try await client.chat(messages: messages, parameters: CompletionParameters(maxTokens: 10))
        XCTAssertEqual(chat.text, " ASSISTANT: THERE HELLO USER:")
        XCTAssertEqual(chat.finishReason, "stop")
        XCTAssertEqual(chat.promptTokens, 4)
        pieces.value = []
        let chatStreamed = try await client.chat(messages: messages, parameters: CompletionParameters(maxTokens: 10),
                                                 stream: true) { pieces.value.append($0) }
        XCTAssertEqual(chatStreamed, chat)
        XCTAssertEqual(pieces.value.count, 4)
        XCTAssertEqual(pieces.value.joined(), chat.text)
        XCTAssertEqual(server.backend.received.last, CompletionParameters(maxTokens: 10, temperature: 0))
    }

    func testErrorsCarryStatusAndMessage() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let client = try client(server.baseURL)
        do {
            _ = try await client.complete(prompt: "x", parameters: CompletionParameters(temperature: -1))
            XCTFail("expected a 400")
        } catch let error as OpenAIClientError {
            guard case .http(let status, let type, let message, let endpoint) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(status, 400)
            XCTAssertEqual(type, "invalid_request_error")
            XCTAssertEqual(message, "temperature must be non-negative, got -1.0.")
            XCTAssertEqual(endpoint, "POST /v1/completions")
        }
        do {
            _ = try await client.complete(prompt: "FAIL")
            XCTFail("expected a 500")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error.status, 500)
        }
        do {
            _ = try await client.complete(prompt: "BREAK a b c", stream: true)
            XCTFail("expected the stream's error event")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error, .streamFailed(message: "scripted backend failure", endpoint: "POST /v1/completions"))
        }
    }

    func testAPIKeyIsSent() async throws {
        let server = try await TestServer.start(apiKey: "k123")
        addTeardownBlock { await server.stop() }
        let models = try await client(server.baseURL, apiKey: "k123").models()
        XCTAssertEqual(models, ["scripted-model"])
        do {
            _ = try await client(server.baseURL).models()
            XCTFail("no key must be refused")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error.status, 401)
        }
    }

    func testRetriesDroppedConnections429And503() async throws {
        let models = #"{"object": "list", "data": [{"id": "m1", "object": "model"}]}"#
        let canned = try CannedHTTPServer(responses: [
            nil,
            CannedHTTPServer.response(status: "503 Service Unavailable", json: #"{"error": {"message": "loading"}}"#,
                                      extraHeaders: "Retry-After: 0\r\n"),
            CannedHTTPServer.response(status: "429 Too Many Requests", json: #"{"error": {"message": "slow down"}}"#),
            CannedHTTPServer.response(status: "200 OK", json: models),
        ])
        addTeardownBlock { canned.stop() }
        let client = try client("http://127.0.0.1:\(canned.port)", apiKey: "abc",
                                retry: RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(10)))
        let listed = try await client.models()
        XCTAssertEqual(listed, ["m1"])
        let requests = canned.requests.value
        XCTAssertEqual(requests.count, 4)
        for request in requests {
            XCTAssertTrue(request.hasPrefix("GET /v1/models HTTP/1.1\r\n"), request)
            XCTAssertTrue(request.lowercased().contains("authorization: bearer abc\r\n"), request)
        }
    }

    func testRetriesAreBoundedAndOtherStatusesAreNotRetried() async throws {
        let unavailable = CannedHTTPServer.response(status: "503 Service Unavailable", json: #"{"error": {"message": "busy"}}"#)
        let canned = try CannedHTTPServer(responses: [unavailable, unavailable, unavailable])
        addTeardownBlock { canned.stop() }
        do {
            _ = try await client("http://127.0.0.1:\(canned.port)", model: "m",
                                 retry: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(10))).complete(prompt: "x")
            XCTFail("expected 503 after two attempts")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error, .http(status: 503, type: nil, message: "busy", endpoint: "POST /v1/completions"))
        }
        XCTAssertEqual(canned.requests.value.count, 2)
        XCTAssertTrue(canned.requests.value[0].contains(#""model":"m""#), canned.requests.value[0])

        let badRequest = try CannedHTTPServer(responses: [
            CannedHTTPServer.response(status: "400 Bad Request", json: #"{"object": "error", "message": "old vLLM style", "type": "BadRequestError"}"#),
            CannedHTTPServer.response(status: "200 OK", json: "{}"),
        ])
        addTeardownBlock { badRequest.stop() }
        do {
            _ = try await client("http://127.0.0.1:\(badRequest.port)", model: "m").complete(prompt: "x")
            XCTFail("expected 400")
        } catch let error as OpenAIClientError {
            XCTAssertEqual(error, .http(status: 400, type: "BadRequestError", message: "old vLLM style", endpoint: "POST /v1/completions"))
        }
        XCTAssertEqual(badRequest.requests.value.count, 1)
    }

    func testConnectionRefusedIsRetriedThenReported() async throws {
        // A port that was just free: bind it, then close it.
        let placeholder = try CannedHTTPServer(responses: [])
        let port = placeholder.port
        placeholder.stop()
        let start = ContinuousClock.now
        do {
            _ = try await client("http://127.0.0.1:\(port)", retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50))).models()
            XCTFail("nothing listens there")
        } catch {
            XCTAssertTrue(OpenAIClient.isConnectionFailure(error), "\(type(of: error)): \(error)")
        }
        // Two waits of 50 and 100 ms between the three attempts.
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(150))
    }
}
