import Foundation
import XCTest
@testable import InferenceServer

/// Streams as bytes: `data: {json}\n\n` events, `data: [DONE]\n\n` last, and the chunk shapes OpenAI sends.
final class ServerStreamingTests: XCTestCase {
    /// The events of an SSE body, checked byte by byte for the framing: each is "data: " + payload + "\n\n".
    private func events(_ reply: TestServer.Reply, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        XCTAssertEqual(reply.status, 200, reply.text, file: file, line: line)
        XCTAssertEqual(reply.headers["content-type"], "text/event-stream; charset=utf-8", file: file, line: line)
        XCTAssertTrue(reply.text.hasSuffix("\n\ndata: [DONE]\n\n"), reply.text, file: file, line: line)
        var frames = reply.text.components(separatedBy: "\n\n")
        XCTAssertEqual(frames.removeLast(), "", file: file, line: line)
        for frame in frames {
            XCTAssertTrue(frame.hasPrefix("data: "), frame, file: file, line: line)
            XCTAssertFalse(frame.contains("\n"), "an event's JSON must be one line: \(frame)", file: file, line: line)
        }
        XCTAssertEqual(frames.last, "data: [DONE]", file: file, line: line)
        return frames.dropLast().map { String($0.dropFirst("data: ".count)) }
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testCompletionStreamMatchesTheWholeAnswer() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let request = #"{"prompt": "alpha beta gamma delta", "max_tokens": 3"#
        let whole = try await server.send("POST", "/v1/completions", json: request + "}").object()
        let wholeText = (whole["choices"] as? [[String: Any]])?.first?["text"] as? String
        XCTAssertEqual(wholeText, " DELTA GAMMA BETA")

        let chunks = try events(try await server.send("POST", "/v1/completions", json: request + #", "stream": true}"#)).map(json)
        XCTAssertEqual(chunks.count, 4, "three pieces and the finishing chunk")
        let id = chunks[0]["id"] as? String
        XCTAssertTrue(id?.hasPrefix("cmpl-") == true)
        var text = ""
        for (index, chunk) in chunks.enumerated() {
            XCTAssertEqual(Set(chunk.keys), ["id", "object", "created", "model", "choices"], "no usage unless asked for")
            XCTAssertEqual(chunk["id"] as? String, id)
            XCTAssertEqual(chunk["object"] as? String, "text_completion")
            XCTAssertEqual(chunk["model"] as? String, "scripted-model")
            let choice = try XCTUnwrap((chunk["choices"] as? [[String: Any]])?.first)
            XCTAssertEqual(Set(choice.keys), ["text", "index", "logprobs", "finish_reason"])
            XCTAssertEqual(choice["index"] as? Int, 0)
            text += try XCTUnwrap(choice["text"] as? String)
            if index == chunks.count - 1 {
                XCTAssertEqual(choice["text"] as? String, "")
                XCTAssertEqual(choice["finish_reason"] as? String, "length")
            } else {
                XCTAssertTrue(choice["finish_reason"] is NSNull)
            }
        }
        XCTAssertEqual(text, wholeText)
    }

    func testStreamUsageWhenAskedFor() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let chunks = try events(try await server.send("POST", "/v1/completions", json: """
            {"prompt": "a b", "stream": true, "stream_options": {"include_usage": true}}
            """)).map(json)
        XCTAssertEqual(chunks.count, 4)
        for chunk in chunks.dropLast() { XCTAssertTrue(chunk["usage"] is NSNull, "\(chunk)") }
        let last = try XCTUnwrap(chunks.last)
        XCTAssertEqual((last["choices"] as? [Any])?.count, 0)
        let usage = try XCTUnwrap(last["usage"] as? [String: Any])
        XCTAssertEqual(usage["prompt_tokens"] as? Int, 2)
        XCTAssertEqual(usage["completion_tokens"] as? Int, 2)
        XCTAssertEqual(usage["total_tokens"] as? Int, 4)
    }

    func testChatStreamDeltas() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        let chunks = try events(try await server.send("POST", "/v1/chat/completions", json: """
            {"messages": [{"role": "user", "content": "hi there"}], "stream": true, "max_tokens": 2}
            """)).map(json)
        XCTAssertEqual(chunks.count, 4, "role, two pieces, finish")
        let id = chunks[0]["id"] as? String
        XCTAssertTrue(id?.hasPrefix("chatcmpl-") == true)
        var deltas: [[String: String]] = []
        var reasons: [String?] = []
        for chunk in chunks {
            XCTAssertEqual(chunk["id"] as? String, id)
            XCTAssertEqual(chunk["object"] as? String, "chat.completion.chunk")
            XCTAssertEqual(chunk["model"] as? String, "scripted-model")
            let choice = try XCTUnwrap((chunk["choices"] as? [[String: Any]])?.first)
            XCTAssertEqual(Set(choice.keys), ["index", "delta", "logprobs", "finish_reason"])
            deltas.append(try XCTUnwrap(choice["delta"] as? [String: String]))
            reasons.append(choice["finish_reason"] as? String)
        }
        XCTAssertEqual(deltas, [["role": "assistant", "content": ""], ["content": " ASSISTANT:"], ["content": " THERE"], [:]])
        XCTAssertEqual(reasons, [nil, nil, nil, "length"])
    }

    func testFailureAfterTheHeadersIsAnErrorEvent() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        // "BREAK" makes the backend throw after its first piece: the 200 is already out, so the error is an event.
        let frames = try events(try await server.send("POST", "/v1/completions",
                                                      json: #"{"prompt": "BREAK a b", "stream": true}"#))
        XCTAssertEqual(frames.count, 2)
        XCTAssertEqual(((try json(frames[0])["choices"] as? [[String: Any]])?.first?["text"]) as? String, " B")
        let error = try XCTUnwrap(try json(frames[1])["error"] as? [String: Any])
        XCTAssertEqual(error["type"] as? String, "server_error")
        XCTAssertEqual(error["message"] as? String, "scripted backend failure")
        XCTAssertTrue(server.log.contains { $0.contains("error=scripted backend failure") }, "\(server.log)")
    }
}
