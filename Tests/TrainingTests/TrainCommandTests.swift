import Formats
import Foundation
import Model
import Tensor
import TestSupport
import Training
import XCTest

/// `longctx train` as a user runs it: a model directory in, killed with SIGKILL mid-run, resumed
/// with --resume: the loss curve and the exported model equal those of an uninterrupted run.
final class TrainCommandTests: XCTestCase {
    /// The tiny tied Llama of the model fixtures written as a model directory.
    private func modelDirectory(_ root: String) throws -> String {
        let device = try CPUDevice(threads: 1)
        let fixture = TrainingTestSupport.llamaFixtures + "/llama-tied"
        let config = try ConfigDocument(contentsOf: URL(fileURLWithPath: fixture + "/config.json"))
        let tensors = try SafetensorsCheckpoint(path: fixture + "/tensors.safetensors")
        let parameters = try LlamaParameters(config: config.config, device: device) { name, shape in
            Tensor(try tensors.floats(named: "param." + name), shape: shape, on: device)
        }
        try ModelDirectory.save(parameters: parameters, config: config, to: root + "/model", dtype: .f32, tokenizerFrom: nil)
        return root + "/model"
    }

    private func recipe(_ root: String, model: String) throws -> String {
        try TrainingTestSupport.writeDataset(at: root + "/data/a", domain: "a", lengths: Array(repeating: 32, count: 13),
                                             documentLength: 9, vocabulary: 101)
        let text = """
        name: tiny-cli
        seed: 3
        model: \(model)
        output: ${out}
        checkpoint: {every_steps: 7, keep: 2}
        stages:
          - name: s
            sequence_length: 32
            tokens: 7680
            batch_tokens: 64
            optimizer: {lr: 0.003}
            data: [{path: \(root)/data/a}]
        """
        try text.write(toFile: root + "/recipe.yaml", atomically: true, encoding: .utf8)
        return root + "/recipe.yaml"
    }

    private func launch(_ arguments: [String]) throws -> Process {
        try LongctxBinary.launch(arguments + ["--threads", "1"])
    }

    func testKilledRunResumesToTheSameLossCurve() throws {
        let root = try TrainingTestSupport.tempDirectory()
        let recipe = try recipe(root, model: try modelDirectory(root))

        let whole = try launch(["train", "--recipe", recipe, "--set", "out=\(root)/whole", "--export-dtype", "f32"])
        whole.waitUntilExit()
        XCTAssertEqual(whole.terminationStatus, 0)
        let expected = try MetricsLog.entries(path: root + "/whole/metrics.jsonl")
        XCTAssertEqual(expected.count, 120)

        let killed = try launch(["train", "--recipe", recipe, "--set", "out=\(root)/killed", "--export-dtype", "f32"])
        while killed.isRunning, ((try? MetricsLog.entries(path: root + "/killed/metrics.jsonl"))?.count ?? 0) < 25 { usleep(2000) }
        XCTAssertTrue(killed.isRunning, "the run finished before it could be killed")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let partial = try MetricsLog.entries(path: root + "/killed/metrics.jsonl").count
        XCTAssertLessThan(partial, 120)

        let resumed = try launch(["train", "--recipe", recipe, "--set", "out=\(root)/killed", "--resume", "--export-dtype", "f32"])
        resumed.waitUntilExit()
        XCTAssertEqual(resumed.terminationStatus, 0)
        let losses = try MetricsLog.entries(path: root + "/killed/metrics.jsonl")
        XCTAssertEqual(losses.map(\.step), expected.map(\.step))
        XCTAssertEqual(losses.map(\.loss), expected.map(\.loss))
        XCTAssertLessThan(expected.last!.loss, expected.first!.loss)

        let device = try CPUDevice(threads: 1)
        let a = try ModelDirectory.load(path: root + "/whole/model", device: device).parameters.named
        let b = try ModelDirectory.load(path: root + "/killed/model", device: device).parameters.named
        for (x, y) in zip(a, b) { XCTAssertEqual(x.tensor.floats(), y.tensor.floats(), x.name) }
    }
}
