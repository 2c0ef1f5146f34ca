import Formats
import Foundation
import Model
import Tensor
import Training
import XCTest

final class TrainerTests: XCTestCase {
    /// The tiny tied Llama of the model fixtures (vocab 101, 2 layers) and its reference weights.
    private func model(device: any Device) throws -> (ConfigDocument, LlamaParameters) {
        let directory = TrainingTestSupport.llamaFixtures + "/llama-tied"
        let config = try ConfigDocument(contentsOf: URL(fileURLWithPath: directory + "/config.json"))
        let tensors = try SafetensorsCheckpoint(path: directory + "/tensors.safetensors")
        let parameters = try LlamaParameters(config: config.config, device: device) { name, shape in
            Tensor(try tensors.floats(named: "param." + name), shape: shape, on: device)
        }
        return (config, parameters)
    }

    private func recipe(root: String, extra: String = "", stages: String? = nil) throws -> TrainRecipe {
        try TrainingTestSupport.writeDataset(at: root + "/data/a", domain: "a", lengths: Array(repeating: 32, count: 9),
                                             documentLength: 11, vocabulary: 101)
        try TrainingTestSupport.writeDataset(at: root + "/data/b", domain: "b", lengths: Array(repeating: 24, count: 5),
                                             documentLength: 24, vocabulary: 101)
        let text = """
        name: tiny
        seed: 5
        model: unused
        output: \(root)/run
        checkpoint: {every_steps: 2, keep: 2}
        \(extra)
        stages:
        \(stages ?? """
          - name: short
            sequence_length: 32
            tokens: 448
            batch_tokens: 64
            optimizer: {lr: 0.01, warmup_ratio: 0.2, min_lr_ratio: 0.1, weight_decay: 0.1}
            data:
              - {path: \(root)/data/a, proportion: 0.75}
              - {path: \(root)/data/b, proportion: 0.25}
        """)
        """
        return try TrainRecipeParser.parse(text, file: "tiny.yaml")
    }

    private func train(_ recipe: TrainRecipe, resume: Bool = false, stopAfter: Int? = nil) throws -> (Trainer, [Float]) {
        let device = try CPUDevice(threads: 2)
        let (config, parameters) = try model(device: device)
        let trainer = Trainer(recipe: recipe, config: config, parameters: parameters, device: device)
        if let stopAfter { trainer.afterCheckpoint = { step in if step == stopAfter { throw CancellationError() } } }
        do { try trainer.run(resume: resume) } catch is CancellationError {}
        return (trainer, parameters.named.flatMap { $0.tensor.floats() })
    }

    func testLossFallsAndMetricsAreWritten() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let r = try recipe(root: root)
        XCTAssertEqual(r.stages[0].steps, 7)
        _ = try train(r)
        let entries = try MetricsLog.entries(path: root + "/run/metrics.jsonl")
        XCTAssertEqual(entries.map(\.step), Array(0..<7))
        XCTAssertEqual(entries[0].learningRate, 0)  // HF: the first update of a warmup has LR 0
        XCTAssertLessThan(entries.last!.loss, entries[1].loss - 0.5, "\(entries.map(\.loss))")
        XCTAssertTrue(entries.allSatisfy { !$0.skipped && $0.gradNorm > 0 && $0.tokens >= 64 })
        let seen = entries.last!.tokensSeenPerDomain
        XCTAssertEqual(Set(seen.keys), ["a", "b"])
        XCTAssertGreaterThan(seen["a"]!, 2 * seen["b"]!)
        // Checkpoints every 2 steps and at the end; only the last 2 are kept.
        let kept = try listDirectory(root + "/run/checkpoints").filter { $0.hasPrefix("step-") }.sorted()
        XCTAssertEqual(kept, ["step-00000006", "step-00000007"])
    }

    /// Stopped right after a checkpoint and resumed: the same losses, bit for bit, and the same weights.
    func testResumeContinuesExactly() throws {
        let whole = try TrainingTestSupport.tempDirectory()
        let (_, expectedWeights) = try train(try recipe(root: whole))
        let expected = try MetricsLog.entries(path: whole + "/run/metrics.jsonl")

        let split = try TrainingTestSupport.tempDirectory()
        let r = try recipe(root: split)
        _ = try train(r, stopAfter: 4)
        XCTAssertEqual(try MetricsLog.entries(path: split + "/run/metrics.jsonl").count, 4)
        XCTAssertThrowsError(try train(r)) { XCTAssertTrue("\($0)".contains("resume it or choose another output"), "\($0)") }
        let (_, weights) = try train(r, resume: true)
        let resumed = try MetricsLog.entries(path: split + "/run/metrics.jsonl")
        XCTAssertEqual(resumed.map(\.loss), expected.map(\.loss))
        XCTAssertEqual(resumed.map(\.gradNorm), expected.map(\.gradNorm))
        XCTAssertEqual(resumed.map(\.tokensSeenPerDomain), expected.map(\.tokensSeenPerDomain))
        XCTAssertEqual(weights, expectedWeights)
    }

    /// Two stages: the second changes RoPE (base and yarn) and length; the schedule restarts and the
    /// optimizer's update count runs on.
    func testCurriculumChangesRoPEAndRestartsTheSchedule() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let stages = """
          - name: one
            sequence_length: 32
            tokens: 128
            batch_tokens: 64
            rope: {theta: 80000}
            optimizer: {lr: 0.001, warmup_ratio: 0.5}
            data: [{path: \(root)/data/a}]
          - name: two
            sequence_length: 48
            tokens: 144
            batch_tokens: 48
            rope: {rope_type: yarn, factor: 2.0, original_max_position_embeddings: 64, beta_fast: 4, beta_slow: 1}
            optimizer: {lr: 0.002, warmup_ratio: 0.5}
            data: [{path: \(root)/data/b}]
        """
        let r = try recipe(root: root, stages: stages)
        let (trainer, _) = try train(r)
        let entries = try MetricsLog.entries(path: root + "/run/metrics.jsonl")
        XCTAssertEqual(entries.map(\.stage), ["one", "one", "two", "two", "two"])
        XCTAssertEqual(entries.map(\.learningRate)[0], 0)
        XCTAssertEqual(entries.map(\.learningRate)[2], 0)  // the schedule restarts
        XCTAssertEqual(entries[1].learningRate, 0.001, accuracy: 1e-12)
        let config = trainer.config.config
        XCTAssertEqual(config.rope.base, 80000)
        XCTAssertEqual(config.rope.scaling.typeName, "yarn")
        XCTAssertEqual(config.maxPositionEmbeddings, 128)
        let state = try TrainingCheckpoint.loadState(try XCTUnwrap(try TrainingCheckpoint.latest(output: root + "/run")))
        XCTAssertEqual(state.optimizerUpdates, 5)
        XCTAssertEqual(state.stageIndex, 1)
        let saved = try ConfigDocument(contentsOf: URL(fileURLWithPath: try TrainingCheckpoint.latest(output: root + "/run")! + "/config.json"))
        XCTAssertEqual(saved.config.rope, config.rope)
    }

    /// A non-finite loss skips the update (weights untouched) and is reported, not applied.
    func testNonFiniteStepIsSkipped() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let device = try CPUDevice(threads: 2)
        let (config, parameters) = try model(device: device)
        device.fill(parameters.finalNorm, with: .infinity)
        let before = parameters.named.map { $0.tensor.floats() }
        let trainer = Trainer(recipe: try recipe(root: root), config: config, parameters: parameters, device: device)
        let state = try trainer.run(resume: false)
        XCTAssertEqual(state.skippedSteps, 7)
        XCTAssertEqual(state.optimizerUpdates, 0)
        XCTAssertEqual(zip(parameters.named.map { $0.tensor.floats() }, before).filter { $0.0 != $0.1 }.count, 0)
        XCTAssertTrue(try MetricsLog.entries(path: root + "/run/metrics.jsonl").allSatisfy { $0.skipped && !$0.loss.isFinite })
    }
}
