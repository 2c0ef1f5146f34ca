import Evaluation
import Inference

/// Our engine as an evaluation target: greedy generation of a batch at a time, on a ComputeQueue (never on Swift's
/// cooperative threads). The generator keeps the last prompt's KV cache, and the runner orders
/// prompts so that neighbours share prefixes (a NIAH grid shares its haystack up to the needle).
final class LocalEvalTarget: EvalTarget, LogProbabilityTarget, @unchecked Sendable {
    let loaded: LoadedModel
    let generator: Generator
    let formatter: ChatFormatter?
    let batchSize: Int
    private let queue = ComputeQueue(label: "longctx.eval")

    init(loaded: LoadedModel, batchSize: Int, prefillChunk: Int, chat: Bool) throws {
        self.loaded = loaded
        generator = loaded.makeGenerator()
        generator.prefillChunk = prefillChunk
        generator.keptCaches = batchSize
        formatter = chat ? try ChatFormatter(model: loaded) : nil
        self.batchSize = batchSize
    }

    var description: String { loaded.directory }
    var chatOrigin: String? { formatter?.origin }

    func generate(_ prompts: [EvalPrompt], chat: Bool) async throws -> [String] {
        let requests = try prompts.map { prompt -> GenerationRequest in
            let tokens: [Int32]
            if chat {
                guard let formatter else { throw EvalTaskError("chat requested but the target was made without a chat template") }
                tokens = loaded.tokenizer.modelTokens(try formatter.prompt([("user", prompt.text)]) + prompt.answerPrefix)
            } else {
                tokens = loaded.promptTokens(prompt.text + prompt.answerPrefix)
            }
            return GenerationRequest(prompt: tokens, maxNewTokens: prompt.maxNewTokens)
        }
        let generator = generator
        return await queue.run { generator.generate(requests).map(\.text) }
    }

    func tokenLogProbabilities(_ tokens: [Int32]) async throws -> [Float] {
        let generator = generator
        return await queue.run { generator.tokenLogProbabilities(tokens) }
    }
}
