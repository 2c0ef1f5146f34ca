import Foundation
import Hummingbird

/// The handlers: /v1/models, /v1/completions, /v1/chat/completions and /health.
struct OpenAIRoutes: Sendable {
    let backend: any CompletionBackend
    let limiter: GenerationLimiter
    let defaultChatMaxTokens: Int
    let startedAt = ResponseIdentity.now()
    /// OpenAI's default for /v1/completions without max_tokens.
    static let defaultCompletionMaxTokens = 16

    func register(on router: Router<OpenAIRequestContext>) {
        router.get("/health") { _, _ in Response(status: .ok) }
        router.get("/v1/models") { _, _ in
            JSONBody.response(ModelListWire(data: [.init(id: backend.modelID, created: startedAt)]))
        }
        router.post("/v1/completions") { request, context in try await completions(request, context: context) }
        router.post("/v1/chat/completions") { request, context in try await chat(request, context: context) }
    }

    // MARK: - /v1/completions and /v1/chat/completions

    private func completions(_ request: Request, context: OpenAIRequestContext) async throws -> Response {
        let body = try await decode(CompletionRequestBody.self, from: request, context: context)
        try body.sampling.validate(servedModel: backend.modelID)
        let jobs = GenerationJob.jobs(prompts: body.prompts, sampling: body.sampling,
                                      defaultMaxTokens: Self.defaultCompletionMaxTokens)
        return try await respond(jobs, sampling: body.sampling, spelling: .completions, request: request, context: context)
    }

    private func chat(_ request: Request, context: OpenAIRequestContext) async throws -> Response {
        let body = try await decode(ChatRequestBody.self, from: request, context: context)
        try body.sampling.validate(servedModel: backend.modelID)
        let prompt = try backend.chatPrompt(messages: body.messages)
        let jobs = GenerationJob.jobs(prompts: [prompt], sampling: body.sampling, defaultMaxTokens: defaultChatMaxTokens)
        return try await respond(jobs, sampling: body.sampling, spelling: .chat, request: request, context: context)
    }

    /// Runs the jobs one after the other into one JSON response, or into a stream of chunks when asked.
    private func respond<Whole, Delta>(
        _ jobs: [GenerationJob], sampling: SamplingFields, spelling: ChoiceSpelling<Whole, Delta>,
        request: Request, context: OpenAIRequestContext
    ) async throws -> Response {
        let id = ResponseIdentity.makeID(prefix: spelling.idPrefix)
        let created = ResponseIdentity.now()
        let model = backend.modelID
        let recorder = context.usage

        guard sampling.isStreaming else {
            var choices: [Whole] = []
            var usage = UsageWire(promptTokens: 0, completionTokens: 0)
            for job in jobs {
                let outcome = try await generate(job, recorder: recorder) { _ in }
                choices.append(spelling.whole(job.index, outcome.text, outcome.finishReason))
                usage.add(outcome, countPrompt: job.countsPrompt)
            }
            return JSONBody.response(CompletionEnvelope(id: id, object: spelling.object, created: created, model: model,
                                                        choices: choices, usage: .value(usage)))
        }

        let includeUsage = sampling.includeUsageInStream
        let chunk = { @Sendable (choices: [Delta], usage: UsageWire?) in
            CompletionEnvelope(id: id, object: spelling.chunkObject, created: created, model: model, choices: choices,
                               usage: usage.map { .value($0) } ?? (includeUsage ? .null : .absent))
        }
        return streamed(request, recorder: recorder) { events in
            var usage = UsageWire(promptTokens: 0, completionTokens: 0)
            for job in jobs {
                if let opening = spelling.opening { try await events.send(chunk([opening(job.index)], nil)) }
                let outcome = try await generate(job, recorder: recorder) { piece in
                    guard !piece.isEmpty else { return }
                    try await events.send(chunk([spelling.piece(job.index, piece)], nil))
                }
                try await events.send(chunk([spelling.finish(job.index, outcome.finishReason)], nil))
                usage.add(outcome, countPrompt: job.countsPrompt)
            }
            if includeUsage { try await events.send(chunk([], usage)) }
        }
    }

    // MARK: - Shared

    private func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: OpenAIRequestContext) async throws -> Body {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
    }

    /// Runs one generation under the concurrency limit and records its tokens for the request log.
    private func generate(_ job: GenerationJob, recorder: UsageRecorder,
                          onText: @Sendable (String) async throws -> Void) async throws -> CompletionOutcome {
        let outcome = try await limiter.withPermit {
            try await backend.complete(prompt: job.prompt, parameters: job.parameters) { piece in
                try Task.checkCancellation()
                try await onText(piece)
            }
        }
        recorder.add(outcome, countPrompt: job.countsPrompt)
        return outcome
    }

    /// A streamed response. Once its 200 and first bytes are out, a failed generation can no longer change the
    /// status: like vLLM, the stream then carries the error object as one event and still ends with [DONE].
    private func streamed(_ request: Request, recorder: UsageRecorder,
                          _ produce: @escaping @Sendable (ServerSentEventWriter) async throws -> Void) -> Response {
        let method = request.method.rawValue
        let path = request.uri.path
        return ServerSentEventWriter.response { events in
            do {
                try await produce(events)
            } catch where !events.clientGone && !(error is CancellationError) {
                let failure = ErrorTranslationMiddleware<OpenAIRequestContext>.openAIError(for: error, method: method, path: path)
                recorder.recordFailure(failure.message)
                try await events.send(failure.body)
            }
        }
    }
}

extension UsageWire {
    mutating func add(_ outcome: CompletionOutcome, countPrompt: Bool) {
        if countPrompt { promptTokens += outcome.promptTokens }
        completionTokens += outcome.completionTokens
    }
}
