import ArgumentParser
import Foundation
import Inference

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a prompt with a model directory; prints only the continuation on stdout.",
        discussion: """
            Greedy unless --temperature is given (then sampled, nucleus --top-p, reproducible for --seed). \
            --chat renders the prompt as a user message with the model's chat template (tokenizer_config.json, \
            chat_template.jinja, or the built-in template of its family). Several --prompt options are generated \
            as one batch; each continuation is then printed as a JSON line.
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "The prompt (repeat for a batch).")
    var prompt: [String] = []
    @Option(name: .long, help: "Read the prompt from this file.")
    var promptFile: String?
    @Option(name: .long, help: "Most tokens to generate.")
    var maxNewTokens = 128
    @Option(name: .long, help: "Sampling temperature (0 or absent: greedy).")
    var temperature: Double?
    @Option(name: .long, help: "Nucleus sampling: keep the most likely tokens whose probability reaches this.")
    var topP = 1.0
    @Option(name: .long, help: "Random seed for sampling.")
    var seed: UInt64 = 0
    @Option(name: .long, help: "Stop before this string (repeatable).")
    var stop: [String] = []
    @Flag(name: .long, help: "Apply the model's chat template (the prompt is the user's message).")
    var chat = false
    @Option(name: .long, help: "A system message, with --chat.")
    var system: String?

    func validate() throws {
        if prompt.isEmpty && promptFile == nil { throw ValidationError("give --prompt TEXT or --prompt-file FILE") }
        if maxNewTokens < 0 { throw ValidationError("--max-new-tokens must be >= 0") }
        if let temperature, temperature < 0 { throw ValidationError("--temperature must be >= 0") }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        if system != nil && !chat { throw ValidationError("--system needs --chat") }
    }

    func run() throws {
        var prompts = prompt
        if let promptFile {
            do {
                prompts.append(try String(contentsOfFile: promptFile, encoding: .utf8))
            } catch {
                throw ValidationError("\(promptFile): cannot read the prompt (\(error.localizedDescription))")
            }
        }
        let loaded = try modelOptions.load()
        let formatter = chat ? try ChatFormatter(model: loaded) : nil
        let sampling = SamplingParameters(temperature: temperature ?? 0, topP: topP, seed: seed)
        let requests = try prompts.map { text -> GenerationRequest in
            let tokens: [Int32]
            if let formatter {
                var messages: [(role: String, content: String)] = []
                if let system { messages.append(("system", system)) }
                messages.append(("user", text))
                tokens = loaded.tokenizer.modelTokens(try formatter.prompt(messages))
            } else {
                tokens = loaded.promptTokens(text)
            }
            guard !tokens.isEmpty else { throw ValidationError("the prompt is empty after tokenization") }
            return GenerationRequest(prompt: tokens, maxNewTokens: maxNewTokens, sampling: sampling, stop: stop)
        }
        let generator = loaded.makeGenerator()
        generator.prefillChunk = modelOptions.prefillChunk
        if requests.count == 1 {
            _ = generator.generate(requests, onText: { _, piece in writeStandardOutput(piece.utf8) })
            writeStandardOutput("\n".utf8)
            return
        }
        let results = generator.generate(requests)
        for (index, result) in results.enumerated() {
            let line: [String: Any] = ["index": index, "text": result.text, "finish_reason": result.finishReason.rawValue,
                                       "prompt_tokens": result.promptTokens, "completion_tokens": result.tokens.count]
            let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
            writeStandardOutput(Array(data) + [0x0A])
        }
    }
}
