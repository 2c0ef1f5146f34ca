import Foundation
import XCTest
@testable import Model

/// Real configs of each family (Tests/Fixtures/configs) load with the values transformers uses.
final class LlamaConfigFamilyTests: XCTestCase {
    func testLlama31() throws {
        let config = try ModelTestData.document("llama-3.1-8b").config
        XCTAssertEqual(config.family, .llama)
        XCTAssertEqual(config.architectures, ["LlamaForCausalLM"])
        XCTAssertEqual([config.vocabSize, config.hiddenSize, config.intermediateSize, config.numHiddenLayers], [128_256, 4096, 14_336, 32])
        XCTAssertEqual([config.numAttentionHeads, config.numKeyValueHeads, config.headDim], [32, 8, 128])
        XCTAssertEqual(config.rmsNormEps, 1e-05)
        XCTAssertEqual(config.maxPositionEmbeddings, 131_072)
        XCTAssertFalse(config.tieWordEmbeddings)
        XCTAssertEqual(config.bias, ProjectionBias(query: false, key: false, value: false, output: false, mlp: false))
        XCTAssertEqual(config.bosTokenIds, [128_000])
        XCTAssertEqual(config.eosTokenIds, [128_001])
        XCTAssertEqual(config.dtype, "bfloat16")
        XCTAssertNil(config.slidingWindow)
        XCTAssertEqual(config.rope, RoPEConfiguration(
            base: 500_000, scaling: .llama3(Llama3Scaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192)),
            headDim: 128, maxPositionEmbeddings: 131_072))
        XCTAssertEqual(config.warnings, [])
    }

    func testLlama32TiedWithExplicitHeadDim() throws {
        let config = try ModelTestData.document("llama-3.2-1b").config
        XCTAssertTrue(config.tieWordEmbeddings)
        XCTAssertEqual([config.hiddenSize, config.numAttentionHeads, config.numKeyValueHeads, config.headDim], [2048, 32, 8, 64])
        guard case let .llama3(llama3) = config.rope.scaling else { return XCTFail("\(config.rope)") }
        XCTAssertEqual(llama3.factor, 32)
        XCTAssertEqual(config.rope.rotaryDim, 64)
    }

    func testLlama2WithoutGQAOrHeadDim() throws {
        let config = try ModelTestData.document("llama-2-7b").config
        XCTAssertEqual([config.numKeyValueHeads, config.headDim, config.maxPositionEmbeddings], [32, 128, 4096])
        XCTAssertEqual(config.rope, RoPEConfiguration(base: 10_000, headDim: 128, maxPositionEmbeddings: 4096))
        XCTAssertEqual(config.dtype, "float16")
    }

    func testMistralSlidingWindow() throws {
        let document = try ModelTestData.document("mistral-7b-v0.1")
        let config = document.config
        XCTAssertEqual(config.family, .mistral)
        XCTAssertEqual(config.slidingWindow, SlidingWindow(size: 4096, layers: Array(0..<32)))
        XCTAssertEqual(config.bias, ProjectionBias(query: false, key: false, value: false, output: false, mlp: false))
        XCTAssertEqual(config.rope, RoPEConfiguration(base: 10_000, headDim: 128, maxPositionEmbeddings: 32_768))
        XCTAssertNoThrow(try config.checkSequenceLength(4096))
        assertConfigError(try config.checkSequenceLength(8192), key: "sliding_window",
                          .slidingWindowShorterThanSequence(window: 4096, sequenceLength: 8192))
        let full = try document.removingSlidingWindow()
        XCTAssertNil(full.config.slidingWindow)
        XCTAssertEqual(full.json["sliding_window"], .null)
        XCTAssertNoThrow(try full.config.checkSequenceLength(65_536))
    }

    func testMistralWithoutTheKeyGetsTransformersDefaultWindow() throws {
        var json = try ModelTestData.json(String(decoding: try Data(contentsOf: ModelTestData.configURL("mistral-7b-v0.1")), as: UTF8.self))
        json.remove("sliding_window")
        XCTAssertEqual(try LlamaConfig(json: json).slidingWindow?.size, 4096)
    }

    func testQwen2BiasAndNoWindowUnlessEnabled() throws {
        let document = try ModelTestData.document("qwen2-0.5b")
        let config = document.config
        XCTAssertEqual(config.family, .qwen2)
        XCTAssertEqual(config.bias, ProjectionBias(query: true, key: true, value: true, output: false, mlp: false))
        XCTAssertEqual([config.hiddenSize, config.numAttentionHeads, config.numKeyValueHeads, config.headDim], [896, 14, 2, 64])
        XCTAssertTrue(config.tieWordEmbeddings)
        XCTAssertEqual(config.rope.base, 1_000_000)
        XCTAssertNil(config.slidingWindow, "use_sliding_window is false")
        XCTAssertEqual(config.bosTokenIds, [151_643])

        var json = document.json
        json.set("use_sliding_window", to: .bool(true))
        json.set("sliding_window", to: .integer(4096))
        let sliding = try LlamaConfig(json: json)
        XCTAssertEqual(sliding.slidingWindow, SlidingWindow(size: 4096, layers: []), "max_window_layers 24 of 24 layers")
        XCTAssertNoThrow(try sliding.checkSequenceLength(65_536), "no layer slides")
        json.set("max_window_layers", to: .integer(20))
        XCTAssertEqual(try LlamaConfig(json: json).slidingWindow?.layers, [20, 21, 22, 23])
        XCTAssertNil(try ConfigDocument(json: json).removingSlidingWindow().config.slidingWindow)
    }

    func testSmolLM2IntegerRopeTheta() throws {
        let document = try ModelTestData.document("smollm2-135m")
        let config = document.config
        XCTAssertEqual([config.hiddenSize, config.numAttentionHeads, config.numKeyValueHeads, config.headDim], [576, 9, 3, 64])
        XCTAssertEqual(config.rope, RoPEConfiguration(base: 100_000, headDim: 64, maxPositionEmbeddings: 8192))
        XCTAssertEqual(config.bosTokenIds, [0])
        XCTAssertTrue(config.tieWordEmbeddings)
        XCTAssertEqual(document.json["rope_theta"], .number("100000"))
    }

    func testEndOfSequenceListAndNullTokens() throws {
        var json = try ModelTestData.document("llama-3.1-8b").json
        json.set("eos_token_id", to: .array([.integer(128_001), .integer(128_008), .integer(128_009)]))
        json.set("bos_token_id", to: .null)
        let config = try LlamaConfig(json: json)
        XCTAssertEqual(config.eosTokenIds, [128_001, 128_008, 128_009])
        XCTAssertEqual(config.bosTokenIds, [])
    }

    func testNullHeadDimIsDerived() throws {
        let config = try LlamaConfig(json: try ModelTestData.llamaJSON(#""head_dim": null"#, headDim: 32))
        XCTAssertEqual(config.headDim, 32)
    }

    /// transformers 5's own save of Llama-3.1-8B (rope_parameters, dtype) reads as the v4 file does;
    /// we also say that transformers 4 would not read it the same.
    func testTransformers5FormEqualsTransformers4Form() throws {
        let v4 = try ModelTestData.document("llama-3.1-8b").config
        let v5 = try ModelTestData.document("llama-3.1-8b-v5").config
        XCTAssertEqual(v5.rope, v4.rope)
        XCTAssertEqual(v5.dtype, v4.dtype)
        XCTAssertEqual(v5.headDim, v4.headDim)
        XCTAssertEqual(v5.warnings.count, 1)
        XCTAssertTrue(v5.warnings[0].contains("transformers 4 reads this RoPE differently"), v5.warnings[0])
        XCTAssertTrue(v5.warnings[0].contains("rope_type default, rope_theta 10000.0"), v5.warnings[0])
    }

    func testBothRoPEFormsReadAlikeForEveryType() throws {
        let dicts = [
            #"{"rope_type": "linear", "factor": 4.0}"#,
            #"{"rope_type": "dynamic", "factor": 2.0}"#,
            #"{"rope_type": "yarn", "factor": 8.0, "original_max_position_embeddings": 4096, "beta_fast": 16.0}"#,
            #"{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 4096}"#,
        ]
        for dict in dicts {
            let v4 = try LlamaConfig(json: try ModelTestData.llamaJSON(#""rope_theta": 250000.0, "rope_scaling": "# + dict))
            let v5dict = dict.replacingOccurrences(of: "{", with: #"{"rope_theta": 250000.0, "#)
            let v5 = try LlamaConfig(json: try ModelTestData.llamaJSON(#""rope_parameters": "# + v5dict))
            XCTAssertEqual(v4.rope, v5.rope, dict)
            XCTAssertEqual(v4.rope.base, 250_000)
            XCTAssertEqual(v4.warnings, [], dict)
        }
    }

    func testLegacyTypeKey() throws {
        let config = try LlamaConfig(json: try ModelTestData.llamaJSON(#""rope_scaling": {"type": "linear", "factor": 2.0}"#))
        XCTAssertEqual(config.rope.scaling, .linear(factor: 2))
        XCTAssertEqual(config.warnings, [])
    }

    func testUnrecognizedRoPEKeysAreWarnings() throws {
        let config = try LlamaConfig(json: try ModelTestData.llamaJSON(#""rope_scaling": {"rope_type": "linear", "factor": 2.0, "beta_fast": 3}"#))
        XCTAssertEqual(config.rope.scaling, .linear(factor: 2))
        XCTAssertEqual(config.warnings.count, 1)
        XCTAssertTrue(config.warnings[0].contains("beta_fast"))
    }

    func testCodableRoundTrip() throws {
        for name in ["llama-3.1-8b", "llama-3.2-1b", "mistral-7b-v0.1", "qwen2-0.5b", "smollm2-135m", "llama-2-7b"] {
            let config = try ModelTestData.document(name).config
            let data = try JSONEncoder().encode(config)
            let decoded = try JSONDecoder().decode(LlamaConfig.self, from: data)
            XCTAssertEqual(decoded, config, name)
        }
    }

    func testDecodingThroughJSONDecoderMatchesOurParser() throws {
        let url = ModelTestData.configURL("llama-3.1-8b")
        let decoded = try JSONDecoder().decode(LlamaConfig.self, from: try Data(contentsOf: url))
        XCTAssertEqual(decoded, try ConfigDocument(contentsOf: url).config)
    }

    func testModelDirectoryFindsConfigJSON() throws {
        let directory = try ModelTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: ModelTestData.configURL("smollm2-135m"), to: directory.appendingPathComponent("config.json"))
        XCTAssertEqual(try ConfigDocument(contentsOf: directory).config.hiddenSize, 576)
    }
}
