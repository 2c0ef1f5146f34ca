import Foundation
import XCTest
@testable import Model

/// Configs we write for continued pretraining load in transformers 5.x and 4.57 with exactly the RoPE
/// we compute: scripts/check_config_roundtrip.py builds a tiny model from each and reports the rotary
/// embedding's inverse frequencies and attention scaling. Skipped when a venv is absent
/// (LONGCTX_REQUIRE_ASSETS=1 makes that a failure).
final class TransformersRoundTripTests: XCTestCase {
    /// Lengths the rotary embedding runs at after init (dynamic NTK grows past 262144; longrope
    /// switches to its long factors past 4096).
    static let lengths = [8192, 300_000]

    struct Scenario {
        let name: String
        let source: String
        let base: Double
        let scaling: RoPEScaling
        let maxPositionEmbeddings: Int
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "prolong-abf", source: "smollm2-135m", base: 8e6, scaling: .none, maxPositionEmbeddings: 65_536),
        Scenario(name: "llama31-llama3-new-base", source: "llama-3.1-8b", base: 8e6,
                 scaling: .llama3(Llama3Scaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192)),
                 maxPositionEmbeddings: 131_072),
        Scenario(name: "v5-source-ultralong-yarn", source: "llama-3.1-8b-v5", base: 5e5,
                 scaling: .yarn(YaRNScaling(factor: 128, originalMaxPositionEmbeddings: 8192, betaFast: 4, betaSlow: 1)),
                 maxPositionEmbeddings: 1_048_576),
        Scenario(name: "yarn-mscale", source: "mistral-7b-v0.1", base: 1e6,
                 scaling: .yarn(YaRNScaling(factor: 8, originalMaxPositionEmbeddings: 32_768, mscale: 1, mscaleAllDim: 0.5, truncate: false)),
                 maxPositionEmbeddings: 262_144),
        Scenario(name: "linear", source: "llama-3.2-1b", base: 5e5, scaling: .linear(factor: 4), maxPositionEmbeddings: 32_768),
        Scenario(name: "dynamic", source: "qwen2-0.5b", base: 1e6, scaling: .dynamic(factor: 2), maxPositionEmbeddings: 262_144),
        Scenario(name: "longrope", source: "llama-2-7b", base: 1e4,
                 scaling: .longrope(LongRoPEScaling(shortFactor: (0..<64).map { 1 + Double($0) / 64 },
                                                    longFactor: (0..<64).map { 1 + Double($0) / 2 },
                                                    factor: 8, originalMaxPositionEmbeddings: 4096)),
                 maxPositionEmbeddings: 32_768),
    ]

    func testTransformers5LoadsWhatWeWrite() throws {
        try check(venv: ".venv-torch", major: "5.")
    }

    func testTransformers4LoadsWhatWeWrite() throws {
        try check(venv: ".venv-mds", major: "4.")
    }

    func check(venv: String, major: String) throws {
        let python = ModelTestData.repoRoot + "/" + venv + "/bin/python"
        let available = FileManager.default.isExecutableFile(atPath: python)
        if ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" {
            XCTAssertTrue(available, "\(venv) is missing")
        }
        try XCTSkipUnless(available, "no \(venv) with transformers")

        let root = try ModelTestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var expected: [String: (RoPEConfiguration, ConfigDocument)] = [:]
        for scenario in Self.scenarios {
            var source = try ModelTestData.document(scenario.source)
            if source.config.slidingWindow != nil { source = try source.removingSlidingWindow() }
            let written = try source.changingRoPE(base: scenario.base, scaling: scenario.scaling,
                                                  maxPositionEmbeddings: scenario.maxPositionEmbeddings)
            let directory = root.appendingPathComponent(scenario.name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try written.write(to: directory.appendingPathComponent("config.json"))
            expected[directory.path] = (written.config.rope, written)
        }

        let output = try run(python, arguments: [ModelTestData.repoRoot + "/scripts/check_config_roundtrip.py",
                                                  "--lengths", Self.lengths.map(String.init).joined(separator: ",")]
                                                 + expected.keys.sorted())
        let report = try ConfigJSONParser.parse(Array(output))
        let version = try XCTUnwrap(report["version"]?.stringValue)
        XCTAssertTrue(version.hasPrefix(major), version)
        for (directory, (rope, _)) in expected {
            let theirs = try XCTUnwrap(report["configs"]?[directory], directory)
            let label = "transformers \(version) \(URL(fileURLWithPath: directory).lastPathComponent)"
            XCTAssertEqual(theirs["rope_theta"]?.doubleValue, rope.base, label)
            XCTAssertEqual(theirs["rope_type"]?.stringValue, rope.scaling.typeName, label)
            XCTAssertEqual(theirs["max_position_embeddings"]?.intValue, rope.maxPositionEmbeddings, label)
            for length in try XCTUnwrap(theirs["lengths"]?.arrayValue) {
                let sequenceLength = length["seq_len"]?.intValue
                let ours = rope.frequencies(sequenceLength: sequenceLength)
                let inv = try XCTUnwrap(length["inv_freq"]?.arrayValue).map { Float($0.doubleValue!) }
                XCTAssertEqual(inv.count, ours.inverseFrequencies.count, label)
                let worst = zip(inv, ours.inverseFrequencies).map { abs($0 - $1) / abs($0) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-6, "\(label) seq_len \(String(describing: sequenceLength))")
                XCTAssertEqual(try XCTUnwrap(length["attention_factor"]?.doubleValue), ours.attentionFactor, accuracy: 1e-12, label)
            }
        }
    }

    func run(_ executable: String, arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block the script.
        let errorText = LockedText()
        let reader = Thread { errorText.set(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorText.done { usleep(1000) }
        XCTAssertEqual(process.terminationStatus, 0, errorText.value)
        return data
    }
}

/// Text handed from the stderr reader thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return text != nil }
    var value: String { lock.lock(); defer { lock.unlock() }; return text ?? "" }
}
