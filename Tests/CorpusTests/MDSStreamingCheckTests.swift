import Corpus
import Foundation
import XCTest

/// Writes datasets with our MDSWriter and loads them with mosaicml-streaming's StreamingDataset
/// (scripts/check_mds_with_streaming.py). Skipped when the reference venv is absent; see
/// DESIGN.md for building `.venv-mds`.
final class MDSStreamingCheckTests: XCTestCase {
    static var python: String? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["LONGCTX_MDS_PYTHON"], MDSTestSupport.repoRoot.path + "/.venv-mds/bin/python", "/work/main/.venv-mds/bin/python"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(_ dir: String) throws -> MDSTestSupport.Expected {
        let python = try XCTUnwrap(Self.python)
        let script = MDSTestSupport.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/check_mds_with_streaming.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [FileManager.default.fileExists(atPath: script.path) ? script.path : "/work/main/scripts/check_mds_with_streaming.py", dir]
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = MDSTestSupport.repoRoot.appendingPathComponent("scripts/tvstub").path
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, errText)
        return try JSONDecoder().decode(MDSTestSupport.Expected.self, from: data)
    }

    func check(columns: [(String, String)], samples: [[String: MDSValue]], sizeLimit: Int) throws {
        let dir = MDSTestSupport.tempDir("check")
        defer { MDSTestSupport.remove(dir) }
        let w = try MDSWriter(directory: dir, columns: columns, sizeLimit: sizeLimit)
        for s in samples { try w.write(sample: s) }
        try w.finish()
        XCTAssertGreaterThan(try MDSDataset(directory: dir).index.shards.count, 1)
        let seen = try run(dir)
        XCTAssertEqual(seen.count, samples.count)
        XCTAssertEqual(seen.values, samples)
    }

    func testStreamingReadsOurProLongData() throws {
        try XCTSkipIf(Self.python == nil, "no .venv-mds with mosaicml-streaming")
        try check(columns: MDSRoundTripTests.prolongColumns, samples: (0..<40).map(MDSRoundTripTests.packed), sizeLimit: 900)
    }

    func testStreamingReadsEveryEncoding() throws {
        try XCTSkipIf(Self.python == nil, "no .venv-mds with mosaicml-streaming")
        let ref = try MDSDataset(directory: MDSTestSupport.fixtures.appendingPathComponent("encodings").path)
        let columns = ref.columns.map { ($0.name, $0.encoding.description) }
        let samples = try MDSTestSupport.readAll(ref)
        try check(columns: columns, samples: samples + samples.reversed(), sizeLimit: 1900)
    }
}
