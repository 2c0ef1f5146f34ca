import AsyncHTTPClient
import Foundation
import XCTest
@testable import InferenceServer

/// Requests are taken concurrently, but no more than maxConcurrentGenerations reach the backend at once.
final class ServerConcurrencyTests: XCTestCase {
    private func fire(_ count: Int, at server: TestServer, stream: Bool) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await server.send("POST", "/v1/completions",
                                          json: #"{"prompt": "w\#(index) x y", "max_tokens": 3, "stream": \#(stream)}"#).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    func testOneGenerationAtATimeByDefault() async throws {
        let backend = ScriptedBackend(delayPerToken: .milliseconds(60))
        let server = try await TestServer.start(backend: backend)
        addTeardownBlock { await server.stop() }
        let start = ContinuousClock.now
        let statuses = try await fire(4, at: server, stream: false)
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(statuses, [200, 200, 200, 200])
        XCTAssertEqual(backend.maxActive, 1)
        XCTAssertEqual(backend.received.count, 4)
        // Four generations of 3 x 60 ms one after another.
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(4 * 180))
    }

    func testLimitOfTwoRunsTwoAtOnce() async throws {
        let backend = ScriptedBackend(delayPerToken: .milliseconds(100))
        let server = try await TestServer.start(backend: backend, maxConcurrentGenerations: 2)
        addTeardownBlock { await server.stop() }
        let statuses = try await fire(6, at: server, stream: true)
        XCTAssertEqual(statuses, Array(repeating: 200, count: 6))
        XCTAssertEqual(backend.maxActive, 2)
    }

    func testLimiterQueuesInOrderAndDropsCancelledWaiters() async throws {
        let limiter = GenerationLimiter(limit: 1)
        let order = LockedValue<[Int]>([])
        let entered = LockedValue(false)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await limiter.withPermit {
                entered.value = true
                for await _ in gate { break }
            }
        }
        while !entered.value { try await Task.sleep(for: .milliseconds(5)) }
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<3 {
            waiters.append(Task { try await limiter.withPermit { order.value.append(index) } })
            while await limiter.queued < index + 1 { try await Task.sleep(for: .milliseconds(5)) }
        }
        let cancelled = Task { try await limiter.withPermit { order.value.append(99) } }
        while await limiter.queued < 4 { try await Task.sleep(for: .milliseconds(5)) }
        cancelled.cancel()
        do {
            try await cancelled.value
            XCTFail("a cancelled waiter must not get the permit")
        } catch is CancellationError {}
        let queuedAfterCancel = await limiter.queued
        XCTAssertEqual(queuedAfterCancel, 3, "the cancelled waiter left the queue")
        opener.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        XCTAssertEqual(order.value, [0, 1, 2])
    }

    func testAClientThatLeavesMidStreamFreesTheModel() async throws {
        let backend = ScriptedBackend(delayPerToken: .milliseconds(100))
        let server = try await TestServer.start(backend: backend)
        addTeardownBlock { await server.stop() }
        let words = (1...40).map { "w\($0)" }.joined(separator: " ")
        let firstBytes = LockedValue(false)
        let leaving = Task {
            var request = HTTPClientRequest(url: server.baseURL + "/v1/completions")
            request.method = .POST
            request.body = .bytes(Array(#"{"prompt": "\#(words)", "max_tokens": 40, "stream": true}"#.utf8))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            for try await _ in response.body {
                firstBytes.value = true
                try await Task.sleep(for: .seconds(30))  // read no more: cancelled here
            }
        }
        while !firstBytes.value { try await Task.sleep(for: .milliseconds(10)) }
        leaving.cancel()
        _ = try? await leaving.value
        // The 40-token generation (4 s) stops at its next piece, so the next request is served well before then.
        let start = ContinuousClock.now
        let next = try await server.send("POST", "/v1/completions", json: #"{"prompt": "a", "max_tokens": 1}"#)
        XCTAssertEqual(next.status, 200)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        XCTAssertEqual(backend.maxActive, 1)
    }

    func testOneLogLinePerRequest() async throws {
        let server = try await TestServer.start()
        addTeardownBlock { await server.stop() }
        _ = try await server.send("POST", "/v1/completions", json: #"{"prompt": "one two three", "max_tokens": 2}"#)
        _ = try await server.send("POST", "/v1/completions", json: #"{"prompt": "one two", "stream": true}"#)
        _ = try await server.send("GET", "/nope")
        _ = try await server.send("POST", "/v1/completions", json: #"{"prompt": "x", "top_p": 2}"#)
        let log = server.log
        XCTAssertEqual(log.count, 4, "\(log)")
        let pattern = #"^(GET|POST) \S+ \d{3} prompt_tokens=\d+ completion_tokens=\d+ \d+\.\d{3}s$"#
        for line in log { XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), line) }
        XCTAssertTrue(log[0].hasPrefix("POST /v1/completions 200 prompt_tokens=3 completion_tokens=2 "), log[0])
        XCTAssertTrue(log[1].hasPrefix("POST /v1/completions 200 prompt_tokens=2 completion_tokens=2 "), log[1])
        XCTAssertTrue(log[2].hasPrefix("GET /nope 404 "), log[2])
        XCTAssertTrue(log[3].hasPrefix("POST /v1/completions 400 "), log[3])
    }
}
