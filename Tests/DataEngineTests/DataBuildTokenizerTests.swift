import Foundation
import XCTest
@testable import DataEngine

/// The tokenizer loads while the first documents are read: its errors must still stop the build before
/// anything is packed or written, and a resumed build must refuse a tokenizer file that changed.
final class DataBuildTokenizerTests: XCTestCase {
    var work = ""

    override func setUpWithError() throws {
        work = try TestData.tempDirectory("tokenizer")
        let documents = (0..<200).map { TestData.document("d\($0)", words: 40 + ($0 * 17) % 300, seed: $0) }
        try TestData.write(TestData.jsonl(documents), to: work + "/corpus/a.jsonl")
        let fixture = (TestData.tokenizer as NSString).deletingLastPathComponent
        for name in ["tokenizer.json", "tokenizer_config.json"] {  // the config names the EOS token
            try FileManager.default.copyItem(atPath: fixture + "/" + name, toPath: work + "/" + name)
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: work) }

    func recipe(tokenizer: String, document: String = "{eos: true}") -> String {
        """
        name: tokenizer-test
        seed: 3
        tokenizer: \(tokenizer)
        document: \(document)
        output: {shard_size: 4096}
        stages:
          - name: s
            sequence_length: 256
            tokens: 12000
            sources:
              - {name: all, input: "jsonl:\(work)/corpus", proportion: 1.0}
        """
    }

    /// Shard files anywhere under `root`.
    func shards(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.contains(".mds") }
    }

    func testAMissingTokenizerStopsTheBuildBeforeAnyShard() throws {
        let out = work + "/out-missing"
        XCTAssertThrowsError(try TestData.build(recipe(tokenizer: work + "/nope/tokenizer.json"), out: out)) { error in
            XCTAssertTrue("\(error)".contains(work + "/nope/tokenizer.json"), "\(error)")
        }
        XCTAssertEqual(shards(out), [])
    }

    func testATokenizerErrorFoundAfterLoadingStopsTheBuildBeforeAnyShard() throws {
        let out = work + "/out-separator"
        XCTAssertThrowsError(try TestData.build(recipe(tokenizer: work + "/tokenizer.json", document: "{separator: \"\"}"), out: out)) { error in
            XCTAssertTrue("\(error)".contains("encodes to no tokens"), "\(error)")
        }
        XCTAssertEqual(shards(out), [])
    }

    func testAResumedBuildRefusesAChangedTokenizerAndKeepsItsShards() throws {
        let out = work + "/out-resume", text = recipe(tokenizer: work + "/tokenizer.json")
        XCTAssertThrowsError(try TestData.build(text, out: out) { _, n in if n == 2 { throw SimulatedKill() } }) {
            XCTAssertTrue($0 is SimulatedKill, "\($0)")
        }
        let before = try TestData.tree(out)
        XCTAssertFalse(shards(out).isEmpty)
        // Same path, same vocabulary, other bytes: a different file as far as the manifest's hash goes.
        let file = FileHandle(forWritingAtPath: work + "/tokenizer.json")!
        file.seekToEndOfFile()
        file.write(Data("\n".utf8))
        try file.close()
        XCTAssertThrowsError(try TestData.build(text, out: out)) { error in
            XCTAssertTrue("\(error)".contains("different tokenizer"), "\(error)")
        }
        XCTAssertEqual(try TestData.tree(out), before, "nothing written by the refused run")
    }
}
