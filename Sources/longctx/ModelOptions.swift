import ArgumentParser
import Inference
import Tensor

/// Options every command that runs a model takes.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A model directory (config.json, safetensors, tokenizer files), e.g. from `longctx convert`.")
    var model: String
    @Option(name: .long, help: "Training-free RoPE change: yarn:F, dynamic:F, linear:F (F = factor over the model's context) or theta:BASE.")
    var rope: String?
    @Option(name: .long, help: "CPU threads (default: all online cores).")
    var threads: Int?
    @Option(name: .long, help: "Prompt tokens run per forward pass while prefilling (memory is bounded by this, not the prompt).")
    var prefillChunk = 2048

    func validate() throws {
        if let rope { _ = try RoPEOverride(parsing: rope) }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if prefillChunk < 1 { throw ValidationError("--prefill-chunk must be at least 1") }
    }

    func load() throws -> LoadedModel {
        let device = try CPUDevice(threads: threads)
        return try LoadedModel(directory: model, device: device, rope: try rope.map { try RoPEOverride(parsing: $0) })
    }
}
