import ArgumentParser
import Foundation
import Model
import Tensor
import Training

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue pretraining a model along a recipe's length curriculum (CPU).",
        discussion: """
            Reads the model directory the recipe names (config.json, safetensors, tokenizer files) and \
            trains each stage on its MDS data (ours or ProLong's) mixed by domain, with the stage's RoPE, \
            sequence length and learning-rate schedule. Writes OUTPUT/metrics.jsonl (one line per step), \
            OUTPUT/checkpoints/ (atomic; --resume continues after a kill exactly where the last one \
            stopped) and, at the end, OUTPUT/model: a model directory transformers loads unchanged, \
            whose config.json carries the new RoPE.
            """
    )

    @Option(name: .long, help: "Training recipe YAML file.")
    var recipe: String
    @Option(name: .customLong("set"), help: "Recipe parameter NAME=VALUE (repeatable).")
    var parameters: [String] = []
    @Flag(name: .long, help: "Continue from the latest checkpoint in the recipe's output.")
    var resume = false
    @Option(name: .long, help: "Compute threads (default: all cores). Loss curves repeat exactly at a fixed count.")
    var threads: Int?
    @Option(name: .long, help: "dtype of the exported model: f32, bf16 or f16.")
    var exportDtype = "bf16"

    func run() throws {
        guard let dtype = WeightDType(rawValue: exportDtype) else { throw ValidationError("--export-dtype must be f32, bf16 or f16") }
        let recipe = try TrainRecipeParser.load(path: self.recipe, overrides: try recipeOverrides(parameters))
        let device = try CPUDevice(threads: threads ?? availableCores())
        let started = Date()
        let loaded = try ModelDirectory.load(path: recipe.model, device: device)
        let (config, parameters) = (loaded.config, loaded.parameters)
        let c = config.config
        print("model \(recipe.model): \(c.family.rawValue), \(c.numHiddenLayers) layers, hidden \(c.hiddenSize), \(parameters.parameterCount) parameters, \(c.rope.summary); \(device.name)")
        let trainer = Trainer(recipe: recipe, config: config, parameters: parameters, device: device)
        let progress = ProgressLine()
        trainer.onStep = { entry, steps in
            progress.update(String(format: "%@ step %d (stage %@: %d steps) loss %.4f lr %.3g |g| %.3g %.0f tok/s%@",
                                   entry.stage, entry.step + 1, entry.stage, steps, entry.loss, entry.learningRate,
                                   entry.gradNorm, entry.tokensPerSecond, entry.skipped ? " SKIPPED (not finite)" : ""))
        }
        let state = try trainer.run(resume: resume)
        progress.finish()
        let exported = recipe.output + "/model"
        try ModelDirectory.save(parameters: parameters, config: trainer.config, to: exported, dtype: dtype,
                                tokenizerFrom: recipe.model, replacing: true)
        let last = try MetricsLog.entries(path: recipe.output + "/metrics.jsonl").last
        print(String(format: "trained %d steps (%d skipped), final loss %.4f, in %.1f s", state.globalStep, state.skippedSteps,
                     last?.loss ?? .nan, Date().timeIntervalSince(started)))
        print("wrote \(recipe.output)/metrics.jsonl, \(recipe.output)/checkpoints, \(exported) (\(exportDtype), RoPE: \(trainer.config.config.rope.summary))")
    }
}
