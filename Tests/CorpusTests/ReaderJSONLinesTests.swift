import XCTest
@testable import Corpus

/// JSON lines: bad lines become skip records with file:line, long lines span chunks.
final class ReaderJSONLinesTests: XCTestCase {
    func testBadLinesAreSkippedWithFileAndLine() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let path = dir + "/mixed.jsonl"
        var bytes = Array("""
        {"text": "one", "score": 0.5, "lang": "en", "n": 3}
        {"text": "two"
        {"body": "no text field"}
        {"text": 12}
        {"text": ""}

        [1, 2]
        {"text": "three"}
        """.utf8)
        bytes += Array("\n{\"text\": \"bad ".utf8) + [0xFF, 0xFE] + Array("\"}\n{\"text\": \"four\"}".utf8)
        try ReaderFixtures.write(bytes, to: path)
        let reader = JSONLinesReader(path: path, options: .init(metadataFields: ["score", "lang", "n", "absent"]))
        var seen: [SkipRecord] = []
        reader.onSkip = { seen.append($0) }
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map(\.text), ["one", "three", "four"])
        XCTAssertEqual(docs[0].metadata, ["score": "0.5", "lang": "en", "n": "3"])
        XCTAssertEqual(docs[1].location, path + ":8")
        XCTAssertEqual(reader.skipped.map(\.line), [2, 3, 4, 5, 6, 7, 9])
        XCTAssertEqual(seen, reader.skipped)
        XCTAssert(reader.skipped[0].reason.hasPrefix("malformed JSON"), reader.skipped[0].reason)
        XCTAssertEqual(reader.skipped[0].description.prefix(path.count + 2), Substring(path + ":2"))
        XCTAssertEqual(reader.skipped[1].reason, "missing text field \"text\"")
        XCTAssertEqual(reader.skipped[2].reason, "text field \"text\" is not a string")
        XCTAssertEqual(reader.skipped[3].reason, "empty")
        XCTAssertEqual(reader.skipped[4].reason, "blank line")
        XCTAssertEqual(reader.skipped[5].reason, "not a JSON object")
        XCTAssertEqual(reader.skipped[6].reason, "invalid UTF-8")
    }

    /// Invalid UTF-8 anywhere in a line is reported as such: in a string with escapes, outside any string, in a
    /// key, and in a line that is also malformed JSON.
    func testInvalidUTF8IsReportedWhereverItIs() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let path = dir + "/utf8.jsonl"
        let lines: [[UInt8]] = [
            Array(#"{"text": "a\n"#.utf8) + [0xC3] + Array(#"b"}"#.utf8),
            Array(#"{"text": "ok", "x": "#.utf8) + [0xFF] + Array("}".utf8),
            Array(#"{""#.utf8) + [0xE2, 0x82] + Array(#"": 1, "text": "ok"}"#.utf8),
            Array(#"{"text": "#.utf8) + [0x80],
            Array(#"{"text": "fine"}"#.utf8),
        ]
        try ReaderFixtures.write(Array(lines.joined(separator: [10])), to: path)
        let reader = JSONLinesReader(path: path)
        XCTAssertEqual(try reader.readAll().map(\.text), ["fine"])
        XCTAssertEqual(reader.skipped.map(\.line), [1, 2, 3, 4])
        XCTAssertEqual(reader.skipped.map(\.reason), Array(repeating: "invalid UTF-8", count: 4))
    }

    func testFiveMegabyteLineAcrossChunks() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let long = String(repeating: "abcdefghij", count: 500_000)
        let lines = "{\"text\": \"short\"}\n{\"content\": \"\(long)\"}\r\n{\"content\": \"tail\"}"
        try ReaderFixtures.write(ReaderFixtures.zstd(Array(lines.utf8)), to: dir + "/long.jsonl.zst")
        let reader = JSONLinesReader(path: dir + "/long.jsonl.zst", options: .init(textField: "content"))
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map(\.text.utf8.count), [5_000_000, 4])
        XCTAssertEqual(docs[0].text, long)
        XCTAssertEqual(reader.skipped.map(\.line), [1])
    }

    func testSeveralFilesInOrder() throws {
        let dir = try ReaderFixtures.tempDirectory()
        try ReaderFixtures.write(ReaderFixtures.jsonl(["a", "b"]), to: dir + "/1.jsonl")
        try ReaderFixtures.write(ReaderFixtures.gzip(ReaderFixtures.jsonl(["c"])), to: dir + "/2.jsonl.gz")
        let docs = try JSONLinesReader(paths: [dir + "/1.jsonl", dir + "/2.jsonl.gz"]).readAll()
        XCTAssertEqual(docs.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(docs.map(\.source), [dir + "/1.jsonl", dir + "/1.jsonl", dir + "/2.jsonl.gz"])
    }
}
