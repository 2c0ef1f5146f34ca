import Corpus
import Foundation
import Model
import Tensor

/// Continued pretraining along a recipe's length curriculum: for each stage, its RoPE, data mixture
/// and learning-rate schedule (reset per stage); AdamW state carried over. Each step draws
/// sequences until the batch's token budget is met, runs them as micro-batches in ProLong's order
/// with gradients accumulated under one token-averaged loss, clips by global norm and updates.
/// A step whose loss or gradient is not finite is reported and not applied. Checkpoints are
/// atomic; `run(resume: true)` continues from the latest one exactly as if never stopped.
public final class Trainer {
    public let recipe: TrainRecipe
    public let device: any Device
    public private(set) var config: ConfigDocument
    public let parameters: LlamaParameters
    /// Called after every step with its metrics line (progress display).
    public var onStep: (MetricsLog.Entry, _ stageSteps: Int) -> Void = { _, _ in }
    /// Test hook: called after each checkpoint with the global step; throwing stops the run there,
    /// as a kill would.
    public var afterCheckpoint: (Int) throws -> Void = { _ in }

    public init(recipe: TrainRecipe, config: ConfigDocument, parameters: LlamaParameters, device: any Device) {
        self.recipe = recipe
        self.config = config
        self.parameters = parameters
        self.device = device
    }

    /// Trains every remaining step and returns the final state; `config` then holds the last stage's RoPE.
    @discardableResult
    public func run(resume: Bool) throws -> TrainingState {
        let optimizer = OptimizerState.fresh(config: config.config, device: device)
        var state: TrainingState
        if let path = try TrainingCheckpoint.latest(output: recipe.output) {
            guard resume else {
                throw TrainingError.badCheckpoint(path: path, reason: "\(recipe.output) already holds a run: resume it or choose another output")
            }
            state = try TrainingCheckpoint.loadState(path)
            guard state.recipeSHA256 == recipe.sha256 else {
                throw TrainingError.badCheckpoint(path: path, reason: "made with another recipe (sha256 \(state.recipeSHA256), now \(recipe.sha256))")
            }
            config = try ConfigDocument(contentsOf: URL(fileURLWithPath: path + "/config.json"))
            try TrainingCheckpoint.loadTensors(path, into: parameters, optimizer: optimizer, device: device)
            optimizer.updates = state.optimizerUpdates
        } else {
            state = TrainingState(recipeSHA256: recipe.sha256, stageIndex: 0, stageStep: 0, globalStep: 0, optimizerUpdates: 0,
                                  cursor: .init(drawn: Array(repeating: 0, count: recipe.stages[0].data.count)),
                                  tokensSeenPerDomain: [:], skippedSteps: 0)
        }
        try FileManager.default.createDirectory(atPath: recipe.output, withIntermediateDirectories: true)
        let metrics = try MetricsLog(path: recipe.output + "/metrics.jsonl", keepBelowStep: state.globalStep)
        let gradients = LlamaParameters.zeros(config: config.config, device: device)

        while state.stageIndex < recipe.stages.count {
            let stage = recipe.stages[state.stageIndex]
            if state.stageStep >= stage.steps {
                state.stageIndex += 1
                state.stageStep = 0
                if state.stageIndex < recipe.stages.count {
                    state.cursor = .init(drawn: Array(repeating: 0, count: recipe.stages[state.stageIndex].data.count))
                }
                continue
            }
            if state.stageStep == 0, let change = stage.rope {
                config = try change.applied(to: config, sequenceLength: stage.sequenceLength)
            }
            try config.config.checkSequenceLength(stage.sequenceLength)
            try trainStage(stage, state: &state, optimizer: optimizer, gradients: gradients, metrics: metrics)
        }
        return state
    }

    private func trainStage(_ stage: TrainRecipe.Stage, state: inout TrainingState, optimizer: OptimizerState,
                            gradients: LlamaParameters, metrics: MetricsLog) throws {
        let model = try LlamaModel(config: config.config, parameters: parameters, device: device)
        let mixture = try DomainMixture(streams: stage.data, seed: recipe.seed ^ stableHash(stage.name), shuffle: stage.shuffle,
                                        documentMasking: stage.documentMasking, maxLength: stage.sequenceLength, cursor: state.cursor)
        let o = stage.optimizer
        let schedule = LearningRateSchedule(peak: o.learningRate, warmupRatio: o.warmupRatio, totalSteps: stage.steps,
                                            minRatio: o.minLearningRateRatio)
        let checkpointing = recipe.activationCheckpointing == .on
            || (recipe.activationCheckpointing == .auto && stage.sequenceLength >= 8192)

        while state.stageStep < stage.steps {
            let started = Date()
            var batch: [TrainingSequence] = []
            var tokens = 0
            while tokens < stage.batchTokens {
                let sequence = try mixture.next()
                tokens += sequence.tokens.count
                batch.append(sequence)
            }
            let valid = batch.reduce(0) { $0 + $1.validTargets }
            for (_, tensor) in gradients.named { device.zero(tensor) }
            var lossSum = 0.0
            for sequence in orderedForStep(batch) {
                let input = LlamaInput(tokens: sequence.tokens.map { Int32(bitPattern: $0) },
                                       positions: sequence.positions(restartPerDocument: stage.restartPositions),
                                       documentOffsets: sequence.documentOffsets, targets: sequence.targets)
                lossSum += model.loss(input, gradients: gradients, gradScale: 1 / Float(max(1, valid)),
                                      checkpointing: checkpointing).lossSum
                state.tokensSeenPerDomain[sequence.domain, default: 0] += sequence.validTargets
            }
            let loss = lossSum / Double(valid)
            let norm = globalNorm(gradients, device: device)
            let learningRate = schedule.learningRate(step: state.stageStep)
            let skipped = !loss.isFinite || !norm.isFinite
            if skipped {
                state.skippedSteps += 1
            } else {
                optimizer.updates += 1
                let scale = Float(clipFactor(norm: norm, maxNorm: o.gradientClip))
                for ((name, parameter), ((_, gradient), ((_, m), (_, v)))) in zip(parameters.named, zip(gradients.named, zip(optimizer.m.named, optimizer.v.named))) {
                    let hyper = AdamWHyperparameters(learningRate: learningRate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon,
                                                     weightDecay: LlamaParameters.decays(name) ? o.weightDecay : 0)
                    device.adamwStep(parameter: parameter, gradient: gradient, m: m, v: v, step: optimizer.updates,
                                     hyperparameters: hyper, gradScale: scale)
                }
            }
            state.stageStep += 1
            state.globalStep += 1
            state.optimizerUpdates = optimizer.updates
            state.cursor = mixture.cursor
            let seconds = Date().timeIntervalSince(started)
            let entry = MetricsLog.Entry(stage: stage.name, step: state.globalStep - 1, loss: loss, learningRate: learningRate,
                                         gradNorm: norm, tokens: tokens, tokensPerSecond: Double(tokens) / max(seconds, 1e-9),
                                         tokensSeenPerDomain: state.tokensSeenPerDomain, skipped: skipped)
            try metrics.append(entry)
            onStep(entry, stage.steps)
            if state.globalStep % recipe.checkpointEverySteps == 0 || state.stageStep == stage.steps {
                try metrics.sync()
                try TrainingCheckpoint.save(output: recipe.output, state: state, config: config, parameters: parameters,
                                            optimizer: optimizer, keep: recipe.keepCheckpoints)
                try afterCheckpoint(state.globalStep)
            }
        }
    }
}
