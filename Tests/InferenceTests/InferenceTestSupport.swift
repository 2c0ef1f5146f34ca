import Foundation
import Model
import Tensor
import TestSupport
import XCTest

/// The SmolLM2 GGUF converted once per test process to an f32 directory, the reference Python, scripts.
/// A missing asset or venv skips a test, or fails it when LONGCTX_REQUIRE_ASSETS=1.
enum InferenceTestSupport {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var requireAssets: Bool { ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" }
    static let smolLM2 = repoRoot + "/.assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    nonisolated(unsafe) private static var converted: String?
    private static let lock = NSLock()

    /// An f32 model directory converted from the SmolLM2 GGUF (made once, removed at exit).
    static func smolLM2Directory() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let converted { return converted }
        guard access(smolLM2, R_OK) == 0 else {
            if requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but \(smolLM2) is missing") }
            throw XCTSkip("no model at \(smolLM2): run scripts/setup-assets.sh")
        }
        let root = try temporaryDirectory("inference")
        let directory = root + "/smollm2"
        _ = try ModelConversion.convert(input: smolLM2, output: directory, dtype: .f32)
        converted = directory
        atexit { if let converted = InferenceTestSupport.converted { try? FileManager.default.removeItem(atPath: converted) } }
        return directory
    }

    static func python() throws -> String {
        let python = repoRoot + "/.venv-torch/bin/python"
        if FileManager.default.isExecutableFile(atPath: python) { return python }
        if requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but .venv-torch is missing") }
        throw XCTSkip("no .venv-torch with transformers")
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "longctx-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a script of scripts/ with `python`; returns its stdout parsed as a JSON object.
    static func runScript(_ python: String, _ script: String, _ arguments: [String]) throws -> [String: Any] {
        let run = try runProgram(python, [repoRoot + "/scripts/" + script] + arguments)
        guard run.status == 0 else {
            XCTFail("\(script) failed:\n\(run.stderr.suffix(4000))")
            throw XCTSkip("reference script failed")
        }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], "\(script) printed no JSON object")
    }

    /// Largest |a - b| over the largest |b|.
    static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var worst: Float = 0, scale: Float = 0
        for (x, y) in zip(a, b) {
            worst = max(worst, abs(x - y))
            scale = max(scale, abs(y))
        }
        return worst / max(scale, 1e-30)
    }
}
