import RecipeSupport
import Training
import XCTest

final class TrainRecipeParserTests: XCTestCase {
    let recipe = """
    name: prolong-curriculum
    seed: 7
    model: ${model}
    output: runs/prolong
    parameters:
      model: models/llama
    checkpoint:
      every_steps: 25
      keep: 3
    defaults:
      batch_tokens: 4_194_304
      optimizer:
        lr: 1e-5
    stages:
      - name: 64k
        sequence_length: 65536
        tokens: 20e9
        rope: {theta: 8e6, max_position_embeddings: 65536}
        data:
          - {path: data/64k/code, proportion: 0.6}
          - {name: short, path: data/64k/fineweb, proportion: 0.4}
      - name: 512k
        sequence_length: 524288
        tokens: 1e9
        batch_tokens: 8_388_608
        rope: {rope_type: yarn, factor: 8.0, original_max_position_embeddings: 65536, beta_fast: 4, beta_slow: 1}
        document_masking: false
        optimizer: {lr: 5e-6, betas: [0.9, 0.99], grad_clip: 0}
        data:
          - path: data/512k/books
    """

    func testStagesDefaultsAndRoPE() throws {
        let r = try TrainRecipeParser.parse(recipe, file: "r.yaml", overrides: ["model": "m"])
        XCTAssertEqual(r.model, "m")
        XCTAssertEqual(r.seed, 7)
        XCTAssertEqual(r.checkpointEverySteps, 25)
        XCTAssertEqual(r.keepCheckpoints, 3)
        XCTAssertEqual(r.activationCheckpointing, .auto)
        XCTAssertEqual(r.stages.map(\.name), ["64k", "512k"])
        let s0 = r.stages[0], s1 = r.stages[1]
        XCTAssertEqual(s0.batchTokens, 4_194_304)
        XCTAssertEqual(s0.steps, (20_000_000_000 + 4_194_303) / 4_194_304)
        XCTAssertEqual(s0.sequencesPerStep, 64)
        XCTAssertEqual(s0.rope?.theta, 8e6)
        XCTAssertEqual(s0.rope?.maxPositionEmbeddings, 65536)
        XCTAssertEqual(s0.data.map(\.name), ["code", "short"])
        XCTAssertEqual(s0.optimizer.learningRate, 1e-5)
        XCTAssertEqual(s0.optimizer.beta2, 0.95)
        XCTAssertEqual(s0.optimizer.minLearningRateRatio, 0.1)
        XCTAssertTrue(s0.documentMasking)
        XCTAssertEqual(s1.batchTokens, 8_388_608)
        XCTAssertEqual(s1.sequencesPerStep, 16)
        XCTAssertEqual(s1.rope?.scaling["rope_type"], .text("yarn"))
        XCTAssertEqual(s1.rope?.scaling["beta_fast"], .number(4))
        XCTAssertFalse(s1.documentMasking)
        XCTAssertEqual(s1.optimizer.learningRate, 5e-6)
        XCTAssertEqual(s1.optimizer.beta2, 0.99)
        XCTAssertEqual(s1.optimizer.gradientClip, 0)
        XCTAssertEqual(s1.data, [.init(name: "books", path: "data/512k/books", proportion: 1)])
        XCTAssertEqual(r.sha256.count, 64)
    }

    func testErrorsNameLineAndKey() {
        func error(_ text: String) -> String {
            do { _ = try TrainRecipeParser.parse(text, file: "t.yaml"); return "no error" } catch { return "\(error)" }
        }
        let head = "name: x\nmodel: m\noutput: o\nstages:\n  - name: a\n    sequence_length: 8\n    tokens: 64\n    batch_tokens: 16\n"
        XCTAssertEqual(error(head + "    data:\n      - {path: p, proportion: 0.5}\n      - {path: q, proportion: 0.4}\n"),
                       "t.yaml:10: stages[0].data: proportions sum to 0.9, not 1")
        XCTAssertEqual(error(head + "    data: [{path: p}, {path: q, proportion: 0.5}]\n"),
                       "t.yaml:9: stages[0].data[0]: missing 'proportion' (needed with several datasets)")
        XCTAssertEqual(error(head + "    data: [{path: p}]\n    optimiser: {lr: 1}\n"),
                       "t.yaml:10: stages[0].optimiser: unknown key (expected one of: name, data, sequence_length, tokens, batch_tokens, rope, optimizer, document_masking, restart_positions, shuffle)")
        XCTAssertEqual(error(head + "    data: [{path: p}]\n    optimizer: {lr: 2}\n"),
                       "t.yaml:10: stages[0].optimizer.lr: must be in 0.0...1.0")
        XCTAssertEqual(error(head + "    data: [{path: p}]\n    rope: {factor: 4}\n"),
                       "t.yaml:10: stages[0].rope: scaling fields need a rope_type (linear, dynamic, yarn, llama3, longrope)")
        XCTAssertEqual(error(head.replacingOccurrences(of: "batch_tokens: 16", with: "batch_tokens: 4") + "    data: [{path: p}]\n"),
                       "t.yaml:8: stages[0].batch_tokens: must be at least sequence_length (8)")
        XCTAssertEqual(error("name: x\nmodel: m\nstages: []\n"), "t.yaml: output: missing")
    }

    /// The shipped training recipes parse and carry the papers' numbers.
    func testShippedRecipes() throws {
        let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("recipes").path
        let prolong = try TrainRecipeParser.load(path: recipes + "/train-prolong.yaml")
        XCTAssertEqual(prolong.stages.map(\.sequenceLength), [65536, 524288])
        XCTAssertEqual(prolong.stages.map { $0.rope?.theta }, [8e6, 1.28e8])
        XCTAssertEqual(prolong.stages.map(\.batchTokens), [4_194_304, 8_388_608])
        XCTAssertEqual(prolong.stages[0].data.reduce(0) { $0 + $1.proportion }, 1, accuracy: 1e-9)
        XCTAssertEqual(prolong.stages[0].optimizer.beta2, 0.95)
        XCTAssertEqual(prolong.stages[1].optimizer.learningRate, 5e-6)
        let ultra = try TrainRecipeParser.load(path: recipes + "/train-ultralong-1m.yaml", overrides: ["factor": "256"])
        XCTAssertFalse(ultra.stages[0].documentMasking)
        XCTAssertEqual(ultra.stages[0].rope?.scaling["factor"], .number(256))
        XCTAssertEqual(ultra.stages[0].rope?.scaling["beta_fast"], .number(4))
        XCTAssertEqual(ultra.stages[0].rope?.theta, 500000)
        let demo = try TrainRecipeParser.load(path: recipes + "/train-demo.yaml")
        XCTAssertEqual(demo.stages.map(\.sequenceLength), [512, 1024])
        XCTAssertEqual(demo.stages[1].rope?.theta, 400000)
    }
}
