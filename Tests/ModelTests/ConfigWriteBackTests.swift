import Foundation
import XCTest
@testable import Model

/// Writing a config back: untouched files come out byte for byte, a RoPE change patches only the RoPE
/// keys and max_position_embeddings, and what we write reads back the same as transformers 4 and 5.
final class ConfigWriteBackTests: XCTestCase {
    static let ropeKeys: Set<String> = ["rope_theta", "rope_scaling", "rope_parameters", "max_position_embeddings"]

    func testUnchangedConfigsAreWrittenByteForByte() throws {
        for name in ["llama-3.1-8b", "llama-3.1-8b-v5", "llama-3.2-1b", "mistral-7b-v0.1", "qwen2-0.5b", "smollm2-135m", "llama-2-7b"] {
            let original = try String(contentsOf: ModelTestData.configURL(name), encoding: .utf8)
            XCTAssertEqual(try ModelTestData.document(name).text, original, name)
        }
    }

    func testProLongBaseChangeKeepsEveryOtherKey() throws {
        let document = try ModelTestData.document("smollm2-135m")
        let changed = try document.changingRoPE(base: 8e6, scaling: .none, maxPositionEmbeddings: 65_536)
        XCTAssertEqual(changed.json["rope_theta"], .number("8000000.0"))
        XCTAssertEqual(changed.json["rope_scaling"], .null)
        XCTAssertEqual(changed.json["rope_parameters"], try ModelTestData.json(#"{"rope_theta": 8000000.0, "rope_type": "default"}"#))
        XCTAssertEqual(changed.json["max_position_embeddings"], .number("65536"))
        try assertOnlyRoPEKeysChanged(document, changed)
        XCTAssertEqual(changed.config.rope, RoPEConfiguration(base: 8e6, headDim: 64, maxPositionEmbeddings: 65_536))
        XCTAssertEqual(changed.config.warnings, [])
        // Untouched literals stay as written.
        XCTAssertTrue(changed.text.contains(#""initializer_range": 0.041666666666666664,"#))
        XCTAssertTrue(changed.text.contains(#""rope_interleaved": false,"#))
        XCTAssertTrue(changed.text.contains(#""transformers_version": "4.42.3","#))
    }

    func testLlama31KeepsLlama3ScalingWithANewBase() throws {
        let document = try ModelTestData.document("llama-3.1-8b")
        let llama3 = Llama3Scaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192)
        let changed = try document.changingRoPE(base: 8e6, scaling: .llama3(llama3), maxPositionEmbeddings: 131_072)
        try assertOnlyRoPEKeysChanged(document, changed)
        XCTAssertEqual(changed.json["rope_scaling"], try ModelTestData.json("""
        {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}
        """))
        XCTAssertEqual(changed.json["rope_parameters"]?["rope_theta"], .number("8000000.0"))
        XCTAssertEqual(changed.config.rope.base, 8e6)
        XCTAssertEqual(changed.config.warnings, [])
    }

    func testTransformers5FormGetsBothForms() throws {
        let document = try ModelTestData.document("llama-3.1-8b-v5")
        XCTAssertFalse(document.config.warnings.isEmpty)
        let yarn = YaRNScaling(factor: 16, originalMaxPositionEmbeddings: 8192, betaFast: 4, betaSlow: 1)
        let changed = try document.changingRoPE(base: 500_000, scaling: .yarn(yarn), maxPositionEmbeddings: 131_072)
        XCTAssertEqual(changed.config.warnings, [], "transformers 4 now reads it the same")
        XCTAssertEqual(changed.json["rope_theta"], .number("500000.0"))
        XCTAssertEqual(changed.json["rope_scaling"]?["rope_type"], .string("yarn"))
        XCTAssertNil(changed.json["rope_scaling"]?["rope_theta"], "transformers 4 warns about it there")
        XCTAssertEqual(changed.config.rope.scaling, .yarn(yarn))
        try assertOnlyRoPEKeysChanged(document, changed)
    }

    func testTopLevelOriginalLengthIsKeptInStep() throws {
        let document = try ConfigDocument(json: try ModelTestData.llamaJSON(#""original_max_position_embeddings": 2048"#))
        let changed = try document.changingRoPE(base: 1e4, scaling: .yarn(YaRNScaling(factor: 4, originalMaxPositionEmbeddings: 8192)),
                                                maxPositionEmbeddings: 32_768)
        XCTAssertEqual(changed.json["original_max_position_embeddings"], .number("8192"))
        guard case let .yarn(yarn) = changed.config.rope.scaling else { return XCTFail() }
        XCTAssertEqual(yarn.originalMaxPositionEmbeddings, 8192)
    }

    func testLongRoPEMustAgreeAcrossVersions() throws {
        let document = try ConfigDocument(json: try ModelTestData.llamaJSON(), file: "config.json")
        let factors = Array(repeating: 1.5, count: 32)
        // transformers 4 derives longrope's factor from the lengths (32768 / 4096 = 8); 5 uses the one given.
        let disagreeing = LongRoPEScaling(shortFactor: factors, longFactor: factors, factor: 4, originalMaxPositionEmbeddings: 4096)
        XCTAssertThrowsError(try document.changingRoPE(base: 1e4, scaling: .longrope(disagreeing), maxPositionEmbeddings: 32_768)) { error in
            guard let error = error as? ConfigError, case .transformersVersionsDisagree = error.problem else { return XCTFail("\(error)") }
            XCTAssertEqual(error.file, "config.json")
        }
        var agreeing = disagreeing
        agreeing.factor = 8
        let changed = try document.changingRoPE(base: 1e4, scaling: .longrope(agreeing), maxPositionEmbeddings: 32_768)
        XCTAssertEqual(changed.json["original_max_position_embeddings"], .number("4096"))
        XCTAssertEqual(changed.config.rope.scaling, .longrope(agreeing))
    }

    func testInvalidNewRoPEIsRefused() throws {
        let document = try ConfigDocument(json: try ModelTestData.llamaJSON(), file: "config.json")
        assertConfigError(try document.changingRoPE(base: 1e4, scaling: .linear(factor: 0.5), maxPositionEmbeddings: 8192),
                          key: "rope_scaling.factor", .factorBelowOne(0.5))
        assertConfigError(try document.changingRoPE(base: -1, scaling: .none, maxPositionEmbeddings: 8192), key: "rope_theta", .notPositive)
    }

    func testWrittenFileReadsBack() throws {
        let directory = try ModelTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let changed = try ModelTestData.document("qwen2-0.5b").changingRoPE(base: 4e6, scaling: .dynamic(factor: 2), maxPositionEmbeddings: 262_144)
        let url = directory.appendingPathComponent("config.json")
        try changed.write(to: url)
        let reread = try ConfigDocument(contentsOf: url)
        XCTAssertEqual(reread.json, changed.json)
        XCTAssertEqual(reread.config, changed.config)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), changed.text)
    }

    func assertOnlyRoPEKeysChanged(_ before: ConfigDocument, _ after: ConfigDocument, file: StaticString = #filePath, line: UInt = #line) throws {
        for key in Set(before.json.keys).union(after.json.keys).subtracting(Self.ropeKeys) {
            XCTAssertEqual(before.json[key], after.json[key], key, file: file, line: line)
            if case let .number(a)? = before.json[key], case let .number(b)? = after.json[key] {
                XCTAssertEqual(a, b, "literal of \(key)", file: file, line: line)
            }
        }
        // Keys keep their order; new ones slot in where a sorted file would have them.
        XCTAssertEqual(after.json.keys.filter(Set(before.json.keys).contains), before.json.keys, file: file, line: line)
    }
}
