import Foundation
import TestSupport
import XCTest

/// Paths and helpers shared by the safetensors and GGUF-weights tests.
enum FormatsTestSupport {
    /// The package root (three levels above this file): fixtures, scripts and the venv live there.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let fixtures = repoRoot + "/Tests/Fixtures"

    static var requireAssets: Bool { ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" }

    /// The reference Python (transformers, safetensors, gguf); LONGCTX_TORCH_PYTHON overrides it.
    static var torchPython: String? {
        let env = ProcessInfo.processInfo.environment
        return [env["LONGCTX_TORCH_PYTHON"], repoRoot + "/.venv-torch/bin/python"].compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The reference Python, or a skip (a failure when LONGCTX_REQUIRE_ASSETS=1).
    static func requireTorchPython() throws -> String {
        if let python = torchPython { return python }
        if requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but there is no .venv-torch"); throw XCTSkip("no .venv-torch") }
        throw XCTSkip("no .venv-torch with safetensors/torch/transformers/gguf")
    }

    /// Runs `python scripts/<script> args…`; returns stdout, failing the test on a non-zero exit.
    static func runScript(_ script: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let run = try runProgram(try requireTorchPython(), [repoRoot + "/scripts/" + script] + args)
        XCTAssertEqual(run.status, 0, String(run.stderr.suffix(4000)), file: file, line: line)
        return run.stdout
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "formats-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
