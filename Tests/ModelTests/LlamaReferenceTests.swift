import Formats
import Foundation
import Model
import Tensor
import XCTest

/// The whole model against transformers + PyTorch (scripts/make_llama_fixtures.py): logits, the loss
/// and every parameter gradient of a packed multi-document sequence, whose reference runs each
/// document alone (so document masking is checked exactly). Tolerances are for f32 against a float64
/// reference: 2e-4 relative to the tensor's largest magnitude (logits, gradients).
final class LlamaReferenceTests: XCTestCase {
    struct Case: Decodable {
        let tokens: [Int32]
        let positions: [Int32]
        let document_offsets: [Int32]
        let targets: [Int32]
        let loss_sum: Double
        let valid_count: Int
        let grad_scale: Double
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama")
    }

    func load(_ name: String, device: any Device) throws -> (LlamaModel, Case, SafetensorsCheckpoint) {
        let directory = Self.fixtures.appendingPathComponent(name)
        let config = try ConfigDocument(contentsOf: directory.appendingPathComponent("config.json")).config
        let tensors = try SafetensorsCheckpoint(path: directory.appendingPathComponent("tensors.safetensors").path)
        let parameters = try LlamaParameters(config: config, device: device) { name, shape in
            Tensor(try tensors.floats(named: "param." + name), shape: shape, on: device)
        }
        let c = try JSONDecoder().decode(Case.self, from: Data(contentsOf: directory.appendingPathComponent("case.json")))
        return (try LlamaModel(config: config, parameters: parameters, device: device), c, tensors)
    }

    func assertClose(_ actual: [Float], _ expected: [Float], _ what: String, relative: Float = 2e-4,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let scale = max(expected.map(abs).max() ?? 0, 1e-6)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst / scale, relative, "\(what): max error \(worst) for magnitude \(scale)", file: file, line: line)
    }

    func check(_ name: String, checkpointing: Bool) throws {
        let device = try CPUDevice(threads: 2)
        let (model, c, reference) = try load(name, device: device)
        let input = LlamaInput(tokens: c.tokens, positions: c.positions, documentOffsets: c.document_offsets, targets: c.targets)
        assertClose(model.logits(input).floats(), try reference.floats(named: "logits"), "\(name) logits")

        model.headBlockRows = 5  // several blocks, the last one partial
        let gradients = LlamaParameters.zeros(config: model.config, device: device)
        let result = model.loss(input, gradients: gradients, gradScale: Float(c.grad_scale), checkpointing: checkpointing)
        XCTAssertEqual(result.validCount, c.valid_count)
        XCTAssertEqual(result.lossSum, c.loss_sum, accuracy: 1e-4 * c.loss_sum, name)
        for (parameter, tensor) in gradients.named {
            assertClose(tensor.floats(), try reference.floats(named: "grad." + parameter), "\(name) gradient of \(parameter)")
        }
        XCTAssertEqual(gradients.named.count, reference.tensorNames.filter { $0.hasPrefix("grad.") }.count)
    }

    func testTiedLlamaMatchesPyTorch() throws { try check("llama-tied", checkpointing: false) }
    func testQwen2WithBiasesAndYaRNMatchesPyTorch() throws { try check("qwen2-yarn", checkpointing: false) }
    func testLlama3RoPEAndHeadDimMatchesPyTorch() throws { try check("llama3-untied-headdim", checkpointing: false) }

    /// Recomputing each layer in the backward pass gives the same gradients bit for bit.
    func testActivationCheckpointingChangesNothing() throws {
        let device = try CPUDevice(threads: 2)
        let (model, c, _) = try load("qwen2-yarn", device: device)
        let input = LlamaInput(tokens: c.tokens, positions: c.positions, documentOffsets: c.document_offsets, targets: c.targets)
        let plain = LlamaParameters.zeros(config: model.config, device: device)
        let recomputed = LlamaParameters.zeros(config: model.config, device: device)
        let a = model.loss(input, gradients: plain, gradScale: 0.5, checkpointing: false)
        let b = model.loss(input, gradients: recomputed, gradScale: 0.5, checkpointing: true)
        XCTAssertEqual(a, b)
        for (x, y) in zip(plain.named, recomputed.named) { XCTAssertEqual(x.tensor.floats(), y.tensor.floats(), x.name) }
    }

    /// A packed sequence gives the same loss and gradients as its documents run one by one.
    func testPackedEqualsDocumentsAlone() throws {
        let device = try CPUDevice(threads: 2)
        let (model, c, _) = try load("llama-tied", device: device)
        let packed = LlamaInput(tokens: c.tokens, positions: c.positions, documentOffsets: c.document_offsets, targets: c.targets)
        let together = LlamaParameters.zeros(config: model.config, device: device)
        let whole = model.loss(packed, gradients: together, gradScale: 1)
        let apart = LlamaParameters.zeros(config: model.config, device: device)
        var sum = 0.0
        for (start, end) in zip(c.document_offsets, c.document_offsets.dropFirst()) {
            let range = Int(start)..<Int(end)
            let alone = LlamaInput(tokens: Array(c.tokens[range]), positions: Array(c.positions[range]),
                                   documentOffsets: [0, end - start], targets: Array(c.targets[range]))
            sum += model.loss(alone, gradients: apart, gradScale: 1).lossSum
        }
        XCTAssertEqual(whole.lossSum, sum, accuracy: 1e-9 * sum)
        for (x, y) in zip(together.named, apart.named) { assertClose(x.tensor.floats(), y.tensor.floats(), x.name, relative: 1e-5) }
    }

    /// Causality: the logits at each position from the whole sequence equal those from its prefix
    /// alone, run one length at a time (what an incremental decoder must reproduce).
    func testPrefillEqualsStepByStep() throws {
        let device = try CPUDevice(threads: 2)
        for name in ["qwen2-yarn", "llama3-untied-headdim"] {
            let (model, c, _) = try load(name, device: device)
            let tokens = Array(c.tokens.prefix(20))
            let whole = model.logits(LlamaInput(singleDocument: tokens)).floats()
            let vocab = model.config.vocabSize
            for t in 1...tokens.count {
                let prefix = model.logits(LlamaInput(singleDocument: Array(tokens.prefix(t)))).floats()
                assertClose(Array(prefix[(t - 1) * vocab..<t * vocab]), Array(whole[(t - 1) * vocab..<t * vocab]),
                            "\(name) position \(t - 1)", relative: 1e-5)
            }
        }
    }
}
