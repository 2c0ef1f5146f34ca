import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client for OpenAI-compatible servers (vLLM, llama.cpp's server, this package's `OpenAIServer`, OpenAI):
/// lists models and runs completions and chats, whole or streamed as server-sent events.
/// Call `shutdown()` when done: it closes the HTTP client's connections.
public final class OpenAIClient: Sendable {
    /// The API root, always ending in /v1.
    public let baseURL: String
    public let retryPolicy: RetryPolicy
    private let apiKey: String?
    private let configuredModel: String?
    private let timeout: Duration
    private let http: HTTPClient
    private let discoveredModel = LockedValue<String?>(nil)

    /// - Parameters:
    ///   - baseURL: "http://host:port" or "http://host:port/v1" (a trailing slash is fine).
    ///   - apiKey: sent as `Authorization: Bearer <apiKey>`.
    ///   - model: the model to ask for; nil means the first one /v1/models lists.
    ///   - timeout: the longest one request may take, a streamed one to its end.
    ///   - connectTimeout: how long one attempt keeps trying to connect (a refused connection is retried within it).
    public init(baseURL: String, apiKey: String? = nil, model: String? = nil, timeout: Duration = .seconds(3600),
                connectTimeout: Duration = .seconds(10), retryPolicy: RetryPolicy = RetryPolicy()) throws {
        self.baseURL = try Self.apiRoot(baseURL)
        self.apiKey = apiKey
        self.configuredModel = model
        self.timeout = timeout
        self.retryPolicy = retryPolicy
        var configuration = HTTPClient.Configuration(timeout: .init(connect: Self.timeAmount(connectTimeout)))
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The ids /v1/models lists, in its order.
    public func models() async throws -> [String] {
        let endpoint = "GET /v1/models"
        let response = try await execute(makeRequest(path: "/models", method: .GET), endpoint: endpoint)
        let body = try await collect(response)
        do {
            return try JSONDecoder().decode(ModelListReply.self, from: body).data.map(\.id)
        } catch {
            throw OpenAIClientError.invalidResponse("no model list: \(error)", endpoint: endpoint)
        }
    }

    /// The model requests name: the one given at init, else the first listed (asked once, then remembered).
    public func model() async throws -> String {
        if let configuredModel { return configuredModel }
        if let known = discoveredModel.value { return known }
        guard let first = try await models().first else { throw OpenAIClientError.noModels(endpoint: "GET /v1/models") }
        discoveredModel.value = first
        return first
    }

    /// POST /v1/completions. With `stream`, the text arrives in pieces as the server sends them; either way `onText`
    /// gets all of it (in one call when not streaming).
    public func complete(prompt: String, parameters: CompletionParameters = CompletionParameters(), stream: Bool = false,
                         onText: (@Sendable (String) async throws -> Void)? = nil) async throws -> CompletionOutcome {
        let body = ClientRequestWire(model: try await model(), prompt: prompt, parameters: parameters, stream: stream)
        return try await generate(path: "/completions", body: body, stream: stream, onText: onText)
    }

    /// POST /v1/chat/completions; `stream` and `onText` as for `complete`.
    public func chat(messages: [ChatMessage], parameters: CompletionParameters = CompletionParameters(), stream: Bool = false,
                     onText: (@Sendable (String) async throws -> Void)? = nil) async throws -> CompletionOutcome {
        let body = ClientRequestWire(model: try await model(), messages: messages, parameters: parameters, stream: stream)
        return try await generate(path: "/chat/completions", body: body, stream: stream, onText: onText)
    }

    // MARK: - Generation

    private func generate(path: String, body: ClientRequestWire, stream: Bool,
                          onText: (@Sendable (String) async throws -> Void)?) async throws -> CompletionOutcome {
        let endpoint = "POST /v1\(path)"
        var request = makeRequest(path: path, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await execute(request, endpoint: endpoint)
        if stream {
            return try await readStream(response, endpoint: endpoint, onText: onText)
        }
        let data = try await collect(response)
        let reply: CompletionReply
        do {
            reply = try JSONDecoder().decode(CompletionReply.self, from: data)
        } catch {
            throw OpenAIClientError.invalidResponse("not a completion: \(error)", endpoint: endpoint)
        }
        guard let choice = reply.choices?.first(where: { ($0.index ?? 0) == 0 }), let text = choice.content else {
            throw OpenAIClientError.invalidResponse("no choice with text", endpoint: endpoint)
        }
        guard let finishReason = choice.finishReason else {
            throw OpenAIClientError.invalidResponse("choice without finish_reason", endpoint: endpoint)
        }
        if let onText, !text.isEmpty { try await onText(text) }
        return CompletionOutcome(text: text, finishReason: finishReason,
                                 promptTokens: reply.usage?.promptTokens ?? 0,
                                 completionTokens: reply.usage?.completionTokens ?? 0)
    }

    /// Reads `data:` events as they arrive until `data: [DONE]`, passing choice 0's text on.
    private func readStream(_ response: HTTPClientResponse, endpoint: String,
                            onText: (@Sendable (String) async throws -> Void)?) async throws -> CompletionOutcome {
        var parser = ServerSentEventParser()
        var text = ""
        var finishReason: String?
        var usage: CompletionReply.Usage?
        var sawDone = false

        func handle(_ event: ServerSentEventParser.Event) async throws {
            if event.data == "[DONE]" {
                sawDone = true
                return
            }
            let reply: CompletionReply
            do {
                reply = try JSONDecoder().decode(CompletionReply.self, from: Data(event.data.utf8))
            } catch {
                if event.name == "error" { throw OpenAIClientError.streamFailed(message: event.data, endpoint: endpoint) }
                throw OpenAIClientError.invalidResponse("stream event is not JSON: \(event.data.prefix(200))", endpoint: endpoint)
            }
            if let error = reply.error {
                throw OpenAIClientError.streamFailed(message: error.message ?? event.data, endpoint: endpoint)
            }
            if event.name == "error" { throw OpenAIClientError.streamFailed(message: event.data, endpoint: endpoint) }
            if let replyUsage = reply.usage { usage = replyUsage }
            for choice in reply.choices ?? [] where (choice.index ?? 0) == 0 {
                if let piece = choice.content, !piece.isEmpty {
                    text += piece
                    try await onText?(piece)
                }
                if let reason = choice.finishReason { finishReason = reason }
            }
        }

        reading: for try await buffer in response.body {
            for event in parser.feed(buffer.readableBytesView) {
                try await handle(event)
                if sawDone { break reading }
            }
        }
        if !sawDone {
            for event in parser.finish() { try await handle(event) }
        }
        guard let finishReason else {
            throw OpenAIClientError.invalidResponse(sawDone ? "stream ended without a finish_reason"
                                                            : "stream ended before data: [DONE]", endpoint: endpoint)
        }
        return CompletionOutcome(text: text, finishReason: finishReason, promptTokens: usage?.promptTokens ?? 0,
                                 completionTokens: usage?.completionTokens ?? 0)
    }

    // MARK: - HTTP

    private func makeRequest(path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        return request
    }

    /// Sends `request` until it gets a 2xx answer, retrying (per `retryPolicy`) connection failures and 429/503;
    /// any other status becomes `OpenAIClientError.http` with the server's message.
    private func execute(_ request: HTTPClientRequest, endpoint: String) async throws -> HTTPClientResponse {
        var attempt = 1
        while true {
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: Self.timeAmount(timeout))
            } catch where attempt < retryPolicy.maxAttempts && Self.isConnectionFailure(error) {
                try await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt))
                attempt += 1
                continue
            }
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return response }
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
            if retryPolicy.retryableStatuses.contains(status), attempt < retryPolicy.maxAttempts {
                try await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt,
                                                            retryAfter: response.headers.first(name: "Retry-After")))
                attempt += 1
                continue
            }
            let (message, type) = ErrorReply.describe(body)
            throw OpenAIClientError.http(status: status, type: type, message: message, endpoint: endpoint)
        }
    }

    private func collect(_ response: HTTPClientResponse) async throws -> Data {
        Data(buffer: try await response.body.collect(upTo: 1 << 30))
    }

    /// Failures to reach the server at all (refused, reset, timed out connecting): the request never started.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError:
            return error == .connectTimeout || error == .remoteConnectionClosed || error == .getConnectionFromPoolTimeout
        case is NIOConnectionError:
            return true
        case let error as IOError:
            return [ECONNREFUSED, ECONNRESET, EPIPE, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT].contains(error.errnoCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        default:
            return false
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// "http://host:port", "http://host:port/", "http://host:port/v1" and "http://host:port/v1/" all give
    /// "http://host:port/v1".
    static func apiRoot(_ baseURL: String) throws -> String {
        var root = baseURL.trimmingCharacters(in: .whitespaces)
        while root.hasSuffix("/") { root.removeLast() }
        guard let url = URL(string: root), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw OpenAIClientError.invalidBaseURL(baseURL)
        }
        return root.hasSuffix("/v1") ? root : root + "/v1"
    }
}

/// A value behind a lock, for the one piece of state the client learns after init.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
