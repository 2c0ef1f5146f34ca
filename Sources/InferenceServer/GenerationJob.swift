/// One choice to generate: choices are numbered prompt by prompt, `n` per prompt, as OpenAI numbers them.
struct GenerationJob: Sendable {
    var index: Int
    var prompt: String
    var parameters: CompletionParameters
    /// Usage counts each prompt's tokens once, however many choices it has.
    var countsPrompt: Bool

    static func jobs(prompts: [String], sampling: SamplingFields, defaultMaxTokens: Int) -> [GenerationJob] {
        let n = sampling.choicesPerPrompt
        return prompts.enumerated().flatMap { promptIndex, prompt in
            (0..<n).map { choice in
                GenerationJob(index: promptIndex * n + choice, prompt: prompt,
                              parameters: sampling.parameters(defaultMaxTokens: defaultMaxTokens, choice: choice),
                              countsPrompt: choice == 0)
            }
        }
    }
}
