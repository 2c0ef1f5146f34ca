import ArgumentParser
import Foundation
import Model

struct RoPEBase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rope-base",
        abstract: "Suggest a RoPE base for training at a longer length (the dynamic-NTK rule ProLong used).",
        discussion: """
            base x t^(d/(d-2)), t = target / original length, d = the rotary dimension. ProLong: Llama-3 (5e5, \
            8K) -> 64K suggests about 4.1e6 (they train with 8e6; larger did better, their Tables 18-19). \
            Reads base, head size and original length from a model directory, or takes them as options.
            """
    )

    @Option(name: .long, help: "Model directory (or config.json) to read the base, head size and length from.")
    var model: String?
    @Option(name: .long, help: "Current RoPE base (rope_theta).")
    var base: Double?
    @Option(name: .long, help: "Rotary dimension (head_dim).")
    var headDim: Int?
    @Option(name: .long, help: "The length the model was trained at (default: the config's max_position_embeddings).")
    var original: Int?
    @Option(name: .long, help: "The length to train at.")
    var target: Int

    func run() throws {
        var base = self.base, dim = headDim, original = self.original
        if let model {
            let config = try ConfigDocument(contentsOf: URL(fileURLWithPath: model)).config
            base = base ?? config.rope.base
            dim = dim ?? config.rope.rotaryDim
            original = original ?? config.rope.scaling.originalMaxPositionEmbeddings ?? config.maxPositionEmbeddings
        }
        guard let base, let dim, let original else { throw ValidationError("give --model, or --base, --head-dim and --original") }
        guard base > 0, dim > 2, original > 0, target > 0 else { throw ValidationError("base, lengths must be positive and head-dim above 2") }
        let suggested = RoPEConfiguration.dynamicNTKBase(base: base, originalLength: original, targetLength: target, rotaryDim: dim)
        print(String(format: "base %.6g at %d tokens -> %.4g for %d tokens (x%.3g; rotary dim %d)", base, original, suggested, target,
                     Double(target) / Double(original), dim))
        print("recipe stage: rope: {theta: \(Int(suggested.rounded()))}")
    }
}
