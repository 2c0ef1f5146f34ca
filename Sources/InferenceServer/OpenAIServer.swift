import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The OpenAI-compatible HTTP server: GET /v1/models, POST /v1/completions, POST /v1/chat/completions (both can
/// stream as server-sent events) and GET /health, answering from one `CompletionBackend`.
public struct OpenAIServer: Sendable {
    public var backend: any CompletionBackend
    public var host: String
    /// 0 picks a free port; `run`'s `onServerRunning` is told which.
    public var port: Int
    /// Generations that may run at once; more requests than this wait their turn (in arrival order).
    public var maxConcurrentGenerations: Int
    /// max_tokens for a chat request that gives none (vLLM fills the context; this server cannot count tokens).
    public var defaultChatMaxTokens: Int
    /// When set, /v1 routes need `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// Receives one line per request; standard error by default.
    public var log: @Sendable (String) -> Void

    public init(backend: any CompletionBackend, host: String = "127.0.0.1", port: Int = 8000,
                maxConcurrentGenerations: Int = 1, defaultChatMaxTokens: Int = 1024, apiKey: String? = nil,
                log: @escaping @Sendable (String) -> Void = OpenAIServer.logToStandardError) {
        precondition(maxConcurrentGenerations >= 1, "maxConcurrentGenerations must be at least 1")
        precondition(defaultChatMaxTokens >= 1, "defaultChatMaxTokens must be at least 1")
        self.backend = backend
        self.host = host
        self.port = port
        self.maxConcurrentGenerations = maxConcurrentGenerations
        self.defaultChatMaxTokens = defaultChatMaxTokens
        self.apiKey = apiKey
        self.log = log
    }

    /// Serves until the calling task is cancelled, then shuts down gracefully: no new connections, requests in
    /// flight finish. `onServerRunning` gets the port the server listens on.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(configuration: .init(services: [makeApplication(onServerRunning: onServerRunning)],
                                                      logger: Self.frameworkLogger))
        // The group runs in a task of its own so that our cancellation reaches it as a graceful shutdown rather
        // than as a cancellation, which would cut requests off (and make Hummingbird log an error).
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// Serves until SIGINT or SIGTERM, then stops taking connections and lets requests in flight finish.
    public func runUntilSignalled(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
    }

    /// The Hummingbird application, for callers that run it in their own ServiceGroup.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: OpenAIRequestContext.self)
        // Outermost first: the log sees the final status, and the API key check's error is translated too.
        router.add(middleware: RequestLogMiddleware(log: log))
        router.add(middleware: ErrorTranslationMiddleware<OpenAIRequestContext>())
        if let apiKey { router.add(middleware: APIKeyMiddleware(apiKey: apiKey)) }
        OpenAIRoutes(backend: backend, limiter: GenerationLimiter(limit: maxConcurrentGenerations),
                     defaultChatMaxTokens: defaultChatMaxTokens).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "longctx"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: Self.frameworkLogger
        )
    }

    /// Hummingbird's own messages; only warnings and worse, the request log says the rest.
    private static var frameworkLogger: Logger {
        var logger = Logger(label: "longctx.serve")
        logger.logLevel = .warning
        return logger
    }
}
