import AsyncHTTPClient
import Foundation
import NIOCore
import XCTest
@testable import InferenceServer

/// The real server on 127.0.0.1 and a free port, with its request log captured.
final class TestServer: @unchecked Sendable {
    let backend: ScriptedBackend
    let port: Int
    private let task: Task<Void, any Error>
    private let logLines: LockedValue<[String]>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var log: [String] { logLines.value }

    static func start(backend: ScriptedBackend = ScriptedBackend(), maxConcurrentGenerations: Int = 1,
                      apiKey: String? = nil) async throws -> TestServer {
        let logLines = LockedValue<[String]>([])
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let server = OpenAIServer(backend: backend, host: "127.0.0.1", port: 0,
                                  maxConcurrentGenerations: maxConcurrentGenerations, defaultChatMaxTokens: 64,
                                  apiKey: apiKey, log: { line in logLines.value.append(line) })
        let task = Task { try await server.run(onServerRunning: { port in portSink.yield(port); portSink.finish() }) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw XCTSkip("the server did not report a port")
        }
        return TestServer(backend: backend, port: port, task: task, logLines: logLines)
    }

    private init(backend: ScriptedBackend, port: Int, task: Task<Void, any Error>, logLines: LockedValue<[String]>) {
        self.backend = backend
        self.port = port
        self.task = task
        self.logLines = logLines
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object, or a test failure.
        func object(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: body)
            return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(text)", file: file, line: line)
        }
    }

    /// One raw HTTP exchange through AsyncHTTPClient.
    func send(_ method: String, _ path: String, json: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        var headerMap: [String: String] = [:]
        for header in response.headers { headerMap[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headerMap, body: Data(buffer: body))
    }
}
