import Foundation
import Inference
import InferenceServer

/// The server's model: our Generator on a loaded directory. Generation is CPU work, so it runs on a ComputeQueue
/// (one at a time; the server already limits concurrency), never on the server's event loops; pieces of text
/// flow back through an AsyncStream. A client that goes away cancels its generation at the next token.
final class GeneratorBackend: CompletionBackend, @unchecked Sendable {
    let loaded: LoadedModel
    let generator: Generator
    let formatter: ChatFormatter?
    let modelID: String
    /// Longest prompt + completion accepted (vLLM's max_model_len): the model's context, or as given.
    let maxModelLength: Int
    private let queue = ComputeQueue(label: "longctx.generation")

    init(loaded: LoadedModel, modelID: String, maxModelLength: Int?, prefillChunk: Int) {
        self.loaded = loaded
        generator = loaded.makeGenerator()
        generator.prefillChunk = prefillChunk
        formatter = try? ChatFormatter(model: loaded)
        self.modelID = modelID
        self.maxModelLength = maxModelLength ?? loaded.model.config.maxPositionEmbeddings
    }

    func chatPrompt(messages: [ChatMessage]) throws -> String {
        guard let formatter else { throw InvalidCompletionRequest("this model has no usable chat template", param: "messages") }
        do {
            return try formatter.prompt(messages.map { ($0.role, $0.content) })
        } catch {
            throw InvalidCompletionRequest("the chat template refused these messages: \(error)", param: "messages")
        }
    }

    func complete(prompt: String, parameters: CompletionParameters,
                  onText: @Sendable (String) async throws -> Void) async throws -> CompletionOutcome {
        let tokens = loaded.promptTokens(prompt)
        guard !tokens.isEmpty else { throw InvalidCompletionRequest("the prompt is empty", param: "prompt") }
        guard tokens.count + parameters.maxTokens <= maxModelLength else {
            throw InvalidCompletionRequest("This model's maximum context length is \(maxModelLength) tokens. However, you requested "
                + "\(tokens.count + parameters.maxTokens) tokens (\(tokens.count) in the messages, \(parameters.maxTokens) in the completion). "
                + "Please reduce the length of the messages or completion.", param: "max_tokens")
        }
        let sampling = SamplingParameters(temperature: parameters.temperature, topP: parameters.topP,
                                          seed: parameters.seed ?? UInt64.random(in: 0...UInt64.max))
        let request = GenerationRequest(prompt: tokens, maxNewTokens: parameters.maxTokens, sampling: sampling, stop: parameters.stop)
        let cancelled = CancellationFlag()
        let (pieces, continuation) = AsyncStream<String>.makeStream()
        let generator = generator
        let result = Task { [queue] () -> GenerationResult in
            await queue.run {
                defer { continuation.finish() }
                return generator.generate([request], isCancelled: { cancelled.isSet }) { _, piece in continuation.yield(piece) }[0]
            }
        }
        do {
            for await piece in pieces { try await onText(piece) }
        } catch {
            cancelled.set()
            _ = await result.value
            throw error
        }
        let finished = await result.value
        return CompletionOutcome(text: finished.text, finishReason: finished.finishReason.rawValue,
                                 promptTokens: finished.promptTokens, completionTokens: finished.tokens.count)
    }
}

/// A flag set from one thread and read from another.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
