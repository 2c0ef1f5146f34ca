import Evaluation
import InferenceServer

/// Any OpenAI-compatible server as an evaluation target: greedy completions (temperature 0), `concurrency` requests
/// in flight. With chat, one user message through /v1/chat/completions; the answer prefix can only end it there.
final class EndpointEvalTarget: EvalTarget, @unchecked Sendable {
    let client: OpenAIClient
    let batchSize: Int

    init(client: OpenAIClient, concurrency: Int) {
        self.client = client
        batchSize = concurrency
    }

    var description: String { client.baseURL }

    /// Closes the client's connections; AsyncHTTPClient traps (in debug builds) when a client is freed unclosed.
    func shutdown() async { try? await client.shutdown() }

    func generate(_ prompts: [EvalPrompt], chat: Bool) async throws -> [String] {
        let client = client
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, prompt) in prompts.enumerated() {
                group.addTask {
                    let parameters = CompletionParameters(maxTokens: prompt.maxNewTokens, temperature: 0)
                    let outcome = chat
                        ? try await client.chat(messages: [ChatMessage(role: "user", content: prompt.text + prompt.answerPrefix)],
                                                parameters: parameters)
                        : try await client.complete(prompt: prompt.text + prompt.answerPrefix, parameters: parameters)
                    return (index, outcome.text)
                }
            }
            var outputs = Array(repeating: "", count: prompts.count)
            for try await (index, text) in group { outputs[index] = text }
            return outputs
        }
    }
}
