import Foundation
import XCTest
@testable import Model

/// Every refusal is a ConfigError naming the file and the key.
final class LlamaConfigErrorTests: XCTestCase {
    func load(_ extra: String, headDim: Int = 64) throws -> LlamaConfig {
        try LlamaConfig(json: try ModelTestData.llamaJSON(extra, headDim: headDim), file: "config.json")
    }

    func testErrorsNameTheFile() throws {
        let directory = try ModelTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("config.json")
        try Data(#"{"model_type": "gpt2"}"#.utf8).write(to: url)
        XCTAssertThrowsError(try ConfigDocument(contentsOf: url)) { error in
            XCTAssertEqual(error as? ConfigError, ConfigError(file: url.path, key: "model_type", .unsupportedModelType("gpt2")))
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": `model_type`: model_type 'gpt2' is not supported"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigDocument(contentsOf: directory.appendingPathComponent("absent.json"))) { error in
            XCTAssertEqual((error as? ConfigError)?.file, directory.appendingPathComponent("absent.json").path)
        }
    }

    func testMissingAndWrongTypes() throws {
        assertConfigError(try LlamaConfig(json: try ModelTestData.json(#"{"hidden_size": 64}"#)), key: "model_type", .missing)
        var json = try ModelTestData.llamaJSON()
        json.remove("vocab_size")
        assertConfigError(try LlamaConfig(json: json), key: "vocab_size", .missing)
        assertConfigError(try load(#""num_key_value_heads": "two""#), key: "num_key_value_heads", .wrongType(expected: "an integer"))
        assertConfigError(try load(#""num_key_value_heads": 2.5"#), key: "num_key_value_heads", .wrongType(expected: "an integer"))
        assertConfigError(try load(#""tie_word_embeddings": 1"#), key: "tie_word_embeddings", .wrongType(expected: "true or false"))
        assertConfigError(try load(#""eos_token_id": [1, "x"]"#), key: "eos_token_id", .wrongType(expected: "an integer or a list of integers"))
        assertConfigError(try load(#""architectures": "LlamaForCausalLM""#), key: "architectures", .wrongType(expected: "a list of strings"))
        assertConfigError(try LlamaConfig(json: .array([])), key: "(top level)", .wrongType(expected: "an object"))
        assertConfigError(try load(#""rope_scaling": 4"#), key: "rope_scaling", .wrongType(expected: "an object or null"))
        assertConfigError(try load(#""rope_theta": "1e4""#), key: "rope_theta", .wrongType(expected: "a finite number"))
    }

    func testSizes() throws {
        assertConfigError(try load(#""num_hidden_layers": 0"#), key: "num_hidden_layers", .notPositive)
        assertConfigError(try load(#""rms_norm_eps": -1e-5"#), key: "rms_norm_eps", .notPositive)
        assertConfigError(try load(#""max_position_embeddings": -4"#), key: "max_position_embeddings", .notPositive)
        assertConfigError(try load(#""sliding_window": 0"#), key: "sliding_window", .notPositive)
        assertConfigError(try load(#""rope_theta": 0"#), key: "rope_theta", .notPositive)
        // 4 heads into hidden 258: head_dim cannot be derived (and transformers 5 refuses it for Llama).
        assertConfigError(try load(#""hidden_size": 258"#), key: "hidden_size", .notDivisible(by: "num_attention_heads"))
        assertConfigError(try load(#""hidden_size": 258, "head_dim": 64"#), key: "hidden_size", .notDivisible(by: "num_attention_heads"))
        assertConfigError(try load(#""num_key_value_heads": 3"#), key: "num_attention_heads", .notDivisible(by: "num_key_value_heads"))
    }

    func testMistralMayGiveAHeadDimThatDoesNotDivide() throws {
        var json = try ModelTestData.llamaJSON(#""hidden_size": 258, "head_dim": 64"#)
        json.set("model_type", to: .string("mistral"))
        XCTAssertEqual(try LlamaConfig(json: json).headDim, 64)
    }

    func testFamilyAndActivation() throws {
        assertConfigError(try load(#""model_type": "gemma""#), key: "model_type", .unsupportedModelType("gemma"))
        assertConfigError(try load(#""hidden_act": "gelu""#), key: "hidden_act", .unsupportedActivation("gelu"))
    }

    func testRoPETypeAndFactors() throws {
        assertConfigError(try load(#""rope_scaling": {"rope_type": "su", "factor": 2.0}"#), key: "rope_scaling.rope_type", .unsupportedRoPEType("su"))
        assertConfigError(try load(#""rope_scaling": {"type": "mrope"}"#), key: "rope_scaling.type", .unsupportedRoPEType("mrope"))
        assertConfigError(try load(#""rope_scaling": {"rope_type": "linear"}"#), key: "rope_scaling.factor", .missing)
        assertConfigError(try load(#""rope_scaling": {"rope_type": "dynamic", "factor": 0.5}"#), key: "rope_scaling.factor", .factorBelowOne(0.5))
        assertConfigError(try load(#""rope_parameters": {"rope_type": "linear", "factor": 0.5, "rope_theta": 1e4}"#),
                          key: "rope_parameters.factor", .factorBelowOne(0.5))
        assertConfigError(try load(#""rope_scaling": {"rope_type": "yarn", "original_max_position_embeddings": 2048}"#),
                          key: "rope_scaling.factor", .missing)
    }

    func testYaRNRules() throws {
        let yarn = #""rope_scaling": {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 2048, "#
        assertConfigError(try load(yarn + #""beta_fast": 1.0, "beta_slow": 2.0}"#), key: "rope_scaling.beta_fast", .notGreater(than: "beta_slow"))
        assertConfigError(try load(yarn + #""attention_factor": -1.0}"#), key: "rope_scaling.attention_factor", .notPositive)
        assertConfigError(try load(yarn + #""truncate": "no"}"#), key: "rope_scaling.truncate", .wrongType(expected: "true or false"))
        assertConfigError(try load(yarn + #""mscale": [1]}"#), key: "rope_scaling.mscale", .wrongType(expected: "a finite number"))
        XCTAssertNoThrow(try load(yarn + #""beta_fast": 0, "beta_slow": 0}"#), "0 means the default, as Python's `or` reads it")
    }

    func testLlama3Rules() throws {
        let llama3 = #""rope_scaling": {"rope_type": "llama3", "factor": 8.0, "original_max_position_embeddings": 2048, "#
        assertConfigError(try load(llama3 + #""low_freq_factor": 4.0, "high_freq_factor": 1.0}"#),
                          key: "rope_scaling.high_freq_factor", .notGreater(than: "low_freq_factor"))
        assertConfigError(try load(llama3 + #""low_freq_factor": 1.0}"#), key: "rope_scaling.high_freq_factor", .missing)
        assertConfigError(try load(llama3 + #""low_freq_factor": 1.0, "high_freq_factor": 4.0, "factor": 0.9}"#),
                          key: "rope_scaling.factor", .factorBelowOne(0.9))
    }

    func testLongRoPERules() throws {
        let short = "[" + Array(repeating: "1.0", count: 32).joined(separator: ", ") + "]"
        let base = #""rope_scaling": {"rope_type": "longrope", "factor": 4.0, "original_max_position_embeddings": 2048, "#
        assertConfigError(try load(base + #""short_factor": \#(short), "long_factor": [1.0, 2.0]}"#),
                          key: "rope_scaling.long_factor", .wrongLength(expected: 32, actual: 2))
        assertConfigError(try load(base + #""short_factor": \#(short)}"#), key: "rope_scaling.long_factor", .missing)
        assertConfigError(try load(base + #""short_factor": \#(short), "long_factor": "x"}"#),
                          key: "rope_scaling.long_factor", .wrongType(expected: "a list of numbers"))
        XCTAssertNoThrow(try load(base + #""short_factor": \#(short), "long_factor": \#(short)}"#))
    }

    func testRotaryDimension() throws {
        assertConfigError(try load(#""partial_rotary_factor": 1.5"#), key: "partial_rotary_factor", .outOfRange("0 < partial_rotary_factor <= 1"))
        assertConfigError(try load(#""partial_rotary_factor": 0.3"#, headDim: 10), key: "partial_rotary_factor",
                          .outOfRange("the rotary dimension (head_dim x partial_rotary_factor = 3) must be even and at least 2"))
    }

    func testNestedPerLayerRoPEIsRefused() throws {
        let nested = #""rope_parameters": {"full_attention": {"rope_type": "default", "rope_theta": 1e6}, "sliding_attention": {"rope_type": "default", "rope_theta": 1e4}}"#
        assertConfigError(try load(nested), key: "rope_parameters", .perLayerRoPE(["full_attention", "sliding_attention"]))
    }

    func testTransformers4ReadingErrorsBecomeWarnings() throws {
        // v5 fills llama3's original length from max_position_embeddings; v4 raises KeyError.
        let config = try load(#""rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0}"#)
        guard case let .llama3(llama3) = config.rope.scaling else { return XCTFail() }
        XCTAssertEqual(llama3.originalMaxPositionEmbeddings, 8192)
        XCTAssertEqual(config.warnings.count, 1)
        XCTAssertTrue(config.warnings[0].hasPrefix("transformers 4 cannot read this RoPE"), config.warnings[0])
    }

    func testRoPEOnlyReadingWithoutAFile() {
        let dict = try! ModelTestData.json(#"{"rope_scaling": {"rope_type": "yarn", "factor": 0.5}}"#)
        assertConfigError(try RoPEConfiguration(config: dict, headDim: 64, maxPositionEmbeddings: 4096), key: "rope_scaling.factor", .factorBelowOne(0.5))
    }
}
