import Foundation
import TestSupport
import XCTest

/// `longctx data build` killed with SIGKILL (shards and checkpoints are written behind the encoding, on their
/// own thread) and run again ends with the files of an uninterrupted build.
final class DataBuildKillTests: XCTestCase {
    private func build(_ recipe: String, out: String) throws -> Process {
        try LongctxBinary.launch(["data", "build", "--recipe", recipe, "--out", out, "--threads", "2"])
    }

    func testKilledBuildResumesToTheUninterruptedFiles() throws {
        let root = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let documents = (0..<1500).map { TestData.document("d\($0)", words: 200 + ($0 * 37) % 900, seed: $0) }
        try TestData.write(TestData.jsonl(documents), to: root + "/corpus/a.jsonl")
        let recipe = """
            name: kill
            seed: 5
            tokenizer: \(TestData.tokenizer)
            output: {shard_size: 65536, compression: zstd}
            stages:
              - name: s
                sequence_length: 512
                tokens: 100000000
                sources:
                  - {name: all, input: "jsonl:\(root)/corpus", proportion: 1.0, packing: pretrain}

            """
        try TestData.write(recipe, to: root + "/recipe.yaml")

        let whole = try build(root + "/recipe.yaml", out: root + "/whole")
        whole.waitUntilExit()
        XCTAssertEqual(whole.terminationStatus, 0)

        let killed = try build(root + "/recipe.yaml", out: root + "/killed")
        let checkpoint = root + "/killed/.state/s.0.checkpoint.json"
        while killed.isRunning && !FileManager.default.fileExists(atPath: checkpoint) { usleep(500) }
        XCTAssertTrue(killed.isRunning, "the build finished before it could be killed")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/killed/manifest.json"))

        let resumed = try build(root + "/recipe.yaml", out: root + "/killed")
        resumed.waitUntilExit()
        XCTAssertEqual(resumed.terminationStatus, 0)
        try TestData.assertSameTree(root + "/whole", root + "/killed")
    }
}
