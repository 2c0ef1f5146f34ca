import XCTest
@testable import InferenceServer

final class ServerSentEventParserTests: XCTestCase {
    private func parse(_ chunks: [[UInt8]]) -> [ServerSentEventParser.Event] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEventParser.Event] = []
        for chunk in chunks { events += parser.feed(chunk) }
        return events + parser.finish()
    }

    func testEventsSplitAnywhereGiveTheSameResult() {
        let stream = "data: {\"text\": \"h\u{e9}llo \u{1F600}\"}\n\n: a comment\r\n\r\nevent: error\ndata: line one\ndata:line two\r\n\r\ndata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        let whole = parse([bytes])
        XCTAssertEqual(whole, [
            .init(name: "message", data: "{\"text\": \"h\u{e9}llo \u{1F600}\"}"),
            .init(name: "error", data: "line one\nline two"),
            .init(name: "message", data: "[DONE]"),
        ])
        // Every split point, including inside the two-byte é, the four-byte emoji and the \r\n pairs.
        for cut in 1..<bytes.count {
            XCTAssertEqual(parse([Array(bytes[..<cut]), Array(bytes[cut...])]), whole, "split at byte \(cut)")
        }
        XCTAssertEqual(parse(bytes.map { [$0] }), whole, "one byte at a time")
    }

    func testUnterminatedLastEventAndLlamaCppErrorLine() {
        XCTAssertEqual(parse([Array("data: a\n\ndata: b".utf8)]), [.init(name: "message", data: "a"), .init(name: "message", data: "b")])
        XCTAssertEqual(parse([Array("error: {\"message\": \"boom\"}\n\n".utf8)]), [.init(name: "error", data: "{\"message\": \"boom\"}")])
        XCTAssertEqual(parse([Array("data:\n\n".utf8)]), [.init(name: "message", data: "")])
        XCTAssertEqual(parse([Array("\n\nid: 3\nretry: 10\n\n".utf8)]), [])
    }
}
