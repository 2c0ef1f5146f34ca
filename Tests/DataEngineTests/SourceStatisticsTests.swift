import Corpus
import Foundation
import Tokenization
import XCTest
@testable import DataEngine

/// `data stats` runs on the build's read-ahead pipeline: its counts must be those of reading the source and
/// encoding each document one by one, whatever the thread count, skipped lines included.
final class SourceStatisticsTests: XCTestCase {
    func testStatisticsEqualAPlainReadAndEncodeLoop() throws {
        let dir = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = (0..<700).map { i in TestData.jsonl([TestData.document("d\(i)", words: 5 + (i * 53) % 900, seed: i)]) }
        lines[3] = "not json\n"
        lines[400] = "{\"body\": \"no text\"}\n"
        try TestData.write(lines[..<350].joined(), to: dir + "/a.jsonl")
        try TestData.write(lines[350...].joined() + "{\"text\": ", to: dir + "/b.jsonl")  // a bad last line
        let tokenizer = try Tokenizer.load(path: TestData.tokenizer)
        let spec = try SourceSpec(parsing: "web=jsonl:\(dir)")

        var expected = LengthStatistics()
        let reader = try spec.open(textField: "text", seed: 0)
        while let document = try reader.next() {
            expected.add(documentLength: tokenizer.encode(document.text, parseSpecialTokens: false).count)
        }
        XCTAssertEqual(reader.skipped.count, 3)
        for threads in [1, 3] {
            var updates = 0
            let (stats, skipped) = try SourceStatistics.collect(spec, textField: "text", seed: 0, tokenizer: tokenizer,
                                                                threads: threads) { _ in updates += 1 }
            XCTAssertEqual(stats, expected, "threads \(threads)")
            XCTAssertEqual(skipped, reader.skipped, "threads \(threads)")
            XCTAssertEqual(updates, expected.documents)
        }
    }

    /// A tokenized MDS source is counted as it is, not re-encoded.
    func testTokenizedMDSIsCountedAsItIs() throws {
        let dir = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let documents = (0..<120).map { TestData.document("d\($0)", words: 20 + ($0 * 31) % 400, seed: $0) }
        try TestData.write(TestData.jsonl(documents), to: dir + "/corpus/a.jsonl")
        _ = try TestData.build("""
            name: stats
            seed: 1
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 256
                tokens: 8000
                sources:
                  - {name: all, input: "jsonl:\(dir)/corpus", proportion: 1.0}
            """, out: dir + "/out")
        let spec = try SourceSpec(parsing: "built=mds:\(dir)/out/s/all")
        var expected = LengthStatistics()
        let reader = try spec.open()
        while let document = try reader.next() { expected.add(documentLength: try XCTUnwrap(document.tokens).count) }
        XCTAssertGreaterThan(expected.tokens, 7000)
        let (stats, _) = try SourceStatistics.collect(spec, textField: "text", seed: 0,
                                                      tokenizer: try Tokenizer.load(path: TestData.tokenizer), threads: 2)
        XCTAssertEqual(stats, expected)
    }
}
