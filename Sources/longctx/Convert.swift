import ArgumentParser
import Foundation
import Model

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a GGUF file or a model directory into a Hugging Face model directory.",
        discussion: """
            INPUT is a Llama-family .gguf (llama or qwen2 architecture; F32/F16/BF16/Q8_0/Q4_0/Q4_1/Q4_K/Q6_K \
            tensors, dequantized) or a model directory (config.json + safetensors, single or sharded). \
            OUTPUT_DIR gets config.json, model.safetensors (sharded above --max-shard-size), tokenizer files \
            (copied, or made from the GGUF vocabulary) and generation_config.json when the source has one. \
            It loads in transformers with AutoModelForCausalLM/AutoTokenizer.from_pretrained(OUTPUT_DIR). \
            The directory is built beside OUTPUT_DIR and renamed into place when complete.
            """
    )

    @Argument(help: "A .gguf file or a model directory.")
    var input: String
    @Argument(help: "The model directory to write.")
    var output: String
    @Option(name: .long, help: "Weight storage type: f32, bf16 or f16.")
    var dtype: String = "bf16"
    @Option(name: .long, help: "Largest shard file, e.g. 5GB, 500MB or a byte count (decimal units, as transformers).")
    var maxShardSize: String = "5GB"
    @Flag(name: .long, help: "Replace OUTPUT_DIR if it exists.")
    var force = false

    func validate() throws {
        guard WeightDType(rawValue: dtype) != nil else { throw ValidationError("--dtype must be f32, bf16 or f16, not '\(dtype)'") }
        guard parseByteSize(maxShardSize) != nil else { throw ValidationError("--max-shard-size: '\(maxShardSize)' is not a size like 5GB, 500MB or 1000000") }
    }

    func run() throws {
        let progress = ProgressLine()
        let summary = try ModelConversion.convert(
            input: input, output: output, dtype: WeightDType(rawValue: dtype)!, replacing: force,
            maxShardSize: parseByteSize(maxShardSize)!
        ) { done, total, tensor in
            progress.update("writing tensor \(done + 1)/\(total) \(tensor)")
        }
        progress.finish()
        for note in summary.notes { print("note: \(note)") }
        print("converted \(summary.sourceKind) \(summary.source) -> \(summary.written.directory)")
        print("  architecture  \(summary.architecture)")
        print("  parameters    \(summary.parameterCount)")
        print("  dtype         \(summary.dtype.configName)")
        print("  files         \(summary.written.files.joined(separator: ", "))")
        print("  bytes written \(summary.written.byteCount)")
        print("  seconds       \(String(format: "%.1f", summary.seconds))")
    }
}

/// "5GB", "500MB", "64KB" (powers of 1000, as transformers' max_shard_size) or a plain byte count.
func parseByteSize(_ text: String) -> Int? {
    let units: [(String, Int)] = [("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1)]
    let upper = text.uppercased()
    for (suffix, scale) in units where upper.hasSuffix(suffix) {
        guard let value = Double(upper.dropLast(suffix.count)), value > 0 else { return nil }
        return Int(value * Double(scale))
    }
    guard let bytes = Int(text), bytes > 0 else { return nil }
    return bytes
}
