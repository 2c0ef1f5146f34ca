import Foundation
import XCTest

/// The official `openai` Python package against the real server: scripts/check_openai_client.py, run with the
/// Python named by LONGCTX_OPENAI_PYTHON (a venv with `pip install openai`); skipped when that is not set.
final class OfficialPythonClientTests: XCTestCase {
    func testOfficialClientTalksToOurServer() async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGCTX_OPENAI_PYTHON"] else {
            throw XCTSkip("set LONGCTX_OPENAI_PYTHON to a Python with the openai package to run this check")
        }
        let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/check_openai_client.py")
        XCTAssertTrue(FileManager.default.fileExists(atPath: script.path), script.path)
        let server = try await TestServer.start(apiKey: "python-key")
        addTeardownBlock { await server.stop() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, server.baseURL, "--api-key", "python-key"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read on another thread while the process runs, so a full pipe cannot stall it.
        let text = await Task.detached {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }.value
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("all checks passed"), text)
        print(text)
    }
}
