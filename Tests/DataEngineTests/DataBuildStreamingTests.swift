import Corpus
import Formats
import Foundation
import XCTest
@testable import DataEngine

/// The real mosaicml-streaming (ProLong's loader) reads a build: every stage and every source
/// stream, with the same samples our reader sees (scripts/check_build_with_streaming.py). Skipped
/// when the reference venv `.venv-mds` is absent (DESIGN.md says how to make it).
extension DataBuildTests {
    static var streamingPython: String? {
        let env = ProcessInfo.processInfo.environment
        return [env["LONGCTX_MDS_PYTHON"], TestData.repoRoot + "/.venv-mds/bin/python"].compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func testMosaicStreamingReadsTheBuildAsWeDo() throws {
        if ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" {
            XCTAssertNotNil(Self.streamingPython, "scripts/setup-mds-venv.sh did not make .venv-mds")
        }
        try XCTSkipIf(Self.streamingPython == nil, "no .venv-mds with mosaicml-streaming")
        let python = Self.streamingPython!
        let out = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let manifest = try XCTUnwrap(try TestData.build(recipe(compression: "zstd"), out: out))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestData.repoRoot + "/scripts/check_build_with_streaming.py", out]
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = TestData.repoRoot + "/scripts/tvstub"
        process.environment = env
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, errorText)
        let seen = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for stage in manifest.stages {
            for name in [stage.name] + stage.sources.map({ stage.name + "/" + $0.name }) {
                let theirs = try XCTUnwrap(seen[name] as? [String: Any], name)
                let ours = try summary(out + "/" + name)
                XCTAssertEqual(theirs["count"] as? Int, ours.count, name)
                XCTAssertEqual(theirs["tokens"] as? Int, ours.tokens, name)
                XCTAssertEqual(theirs["documents"] as? Int, ours.documents, name)
                XCTAssertEqual(theirs["sha256"] as? String, ours.sha256, name)
            }
            XCTAssertEqual(seen[stage.name + " (prolong streams)"] as? Int, 16)
        }
    }

    /// The same summary as the script: counts and a SHA-256 over input_ids and indices bytes.
    private func summary(_ directory: String) throws -> (count: Int, tokens: Int, documents: Int, sha256: String) {
        let dataset = try MDSDataset(directory: directory)
        var bytes: [UInt8] = [], tokens = 0, documents = 0
        for i in 0..<dataset.count {
            let sample = try dataset.sample(at: i)
            let ids = try XCTUnwrap(sample["input_ids"]?.arrayValue?.uint32Values)
            let spans = try XCTUnwrap(sample["indices"]?.arrayValue?.uint32Values)
            for v in ids + spans { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
            tokens += ids.count
            documents += spans.count / 2
        }
        return (dataset.count, tokens, documents, SHA256.hex(bytes))
    }
}
