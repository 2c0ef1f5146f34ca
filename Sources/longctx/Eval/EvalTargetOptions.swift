import ArgumentParser
import Evaluation
import Foundation
import Inference
import InferenceServer
import Tensor
import Tokenization

/// Who answers, where the run goes and how it is labelled: the options every `longctx eval TASK` takes.
struct EvalTargetOptions: ParsableArguments {
    @Option(name: .long, help: "A model directory to run on our engine.")
    var model: String?
    @Option(name: .long, help: "An OpenAI-compatible server instead (vLLM, llama.cpp, `longctx serve`), e.g. http://localhost:8000/v1.")
    var endpoint: String?
    @Option(name: .long, help: "With --endpoint: the tokenizer that sizes prompts (tokenizer.json, a model directory or a .gguf).")
    var tokenizer: String?
    @Option(name: .long, help: "With --endpoint: the model name to request (default: the server's first).")
    var servedModel: String?
    @Option(name: .long, help: "With --endpoint: API key (also read from OPENAI_API_KEY).")
    var apiKey: String?
    @Option(name: .long, help: "With --model: training-free RoPE change: yarn:F, dynamic:F, linear:F or theta:BASE.")
    var rope: String?
    @Option(name: .long, help: "With --model: CPU threads (default: all online cores).")
    var threads: Int?
    @Option(name: .long, help: "With --model: prompt tokens per forward pass while prefilling.")
    var prefillChunk = 2048
    @Option(name: .long, help: "Prompts generated together (a local batch, or concurrent requests to an endpoint).")
    var batchSize = 1
    @Flag(name: .long, help: "Apply the chat template (instruction-tuned models).")
    var chat = false
    @Option(name: .long, help: "The run directory (resumed if it holds the same run).")
    var out: String
    @Option(name: .long, help: "A short label for reports (default: the model's name and RoPE).")
    var label: String?
    @Option(name: .long, help: "The model's trained context, for the dashed line on heatmaps (default: its config's).")
    var trainedLength: Int?
    @Option(name: .long, help: "Seed of the task's random choices.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (model == nil) != (endpoint == nil) else { throw ValidationError("give exactly one of --model DIR and --endpoint URL") }
        if endpoint != nil && tokenizer == nil {
            throw ValidationError("--endpoint needs --tokenizer (prompts are sized with the model's own tokenizer)")
        }
        if endpoint != nil && rope != nil { throw ValidationError("--rope applies to --model only (configure the server instead)") }
        if let rope { _ = try RoPEOverride(parsing: rope) }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if prefillChunk < 1 { throw ValidationError("--prefill-chunk must be at least 1") }
    }

    /// The target, the tokenizer that sizes prompts, and what identifies the run.
    func makeTarget() async throws -> (target: any EvalTarget, tokenizer: Tokenizer, trainedLength: Int?, label: String) {
        if let model {
            let device = try CPUDevice(threads: threads)
            let loaded = try LoadedModel(directory: model, device: device, rope: try rope.map { try RoPEOverride(parsing: $0) })
            let target = try LocalEvalTarget(loaded: loaded, batchSize: batchSize, prefillChunk: prefillChunk, chat: chat)
            let name = loaded.name + (loaded.ropeOverride.map { " + \($0)" } ?? "")
            writeStandardError("target: \(model) on \(device.name)\(target.chatOrigin.map { "; chat template: \($0)" } ?? "")\n")
            return (target, loaded.tokenizer, trainedLength ?? loaded.trainedLength, label ?? name)
        }
        let tokenizer = try Tokenizer.load(path: self.tokenizer!)
        let key = apiKey ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"]
        let client = try OpenAIClient(baseURL: endpoint!, apiKey: key, model: servedModel)
        let modelName: String
        do {
            modelName = try await client.model()
        } catch {
            try? await client.shutdown()
            throw error
        }
        writeStandardError("target: \(client.baseURL) model \(modelName)\n")
        return (EndpointEvalTarget(client: client, concurrency: batchSize), tokenizer, trainedLength, label ?? modelName)
    }

    /// Settings that define the run besides the task (a resumed run must match them).
    var settings: [String: String] {
        var settings = ["chat": String(chat)]
        if let rope { settings["rope"] = rope }
        if let servedModel { settings["served_model"] = servedModel }
        return settings
    }

    var targetDescription: String { model ?? endpoint ?? "" }
}

/// Comma-separated token counts; `k` multiplies by 1024 (4k = 4096).
func parseLengths(_ text: String, option: String) throws -> [Int] {
    let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    let lengths = values.compactMap { value -> Int? in
        if value.hasSuffix("k") { return Int(value.dropLast()).map { $0 * 1024 } }
        return Int(value)
    }
    guard !values.isEmpty, lengths.count == values.count, lengths.allSatisfy({ $0 > 0 }) else {
        throw ValidationError("\(option): '\(text)' is not a comma-separated list of positive token counts (e.g. 4096,8k)")
    }
    return lengths
}

/// Comma-separated numbers (depth percents).
func parseNumbers(_ text: String, option: String) throws -> [Double] {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
        throw ValidationError("\(option): '\(text)' is not a comma-separated list of numbers")
    }
    return values.map { $0! }
}

/// A text file's contents, or a clear error naming it.
func readText(_ path: String, option: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationError("\(option) \(path): cannot read it as UTF-8 text (\(error.localizedDescription))")
    }
}
