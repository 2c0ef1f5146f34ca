import Foundation
import XCTest

/// `longctx data stats` end to end: sources of each kind, skipped input counted, JSON written.
final class DataStatsCLITests: XCTestCase {
    func testStatsOverJSONLinesAndTextTree() throws {
        let dir = NSTemporaryDirectory() + "stats-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/tree/book1", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "ab", count: 5000)  // 5000 tokens with the minimal tokenizer
        try (#"{"text": "ab"}"# + "\n" + #"{"text": "\#(long)"}"# + "\n" + "not json\n")
            .write(toFile: dir + "/a.jsonl", atomically: true, encoding: .utf8)
        try "abab".write(toFile: dir + "/tree/book1/ch1.txt", atomically: true, encoding: .utf8)
        try "ab".write(toFile: dir + "/tree/book1/ch2.txt", atomically: true, encoding: .utf8)
        let tokenizer = TestPaths.fixtures + "/tokenizers/minimal/tokenizer.json"
        let r = try runCLI(["data", "stats", "--tokenizer", tokenizer, "--source", "web=\(dir)/a.jsonl",
                            "--source", "books=books:\(dir)/tree", "--json", dir + "/stats.json"], stdin: [])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssert(r.out.contains("| web | 2 | 5001 | 5000 | 1 | 100.0% |"), r.out)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/stats.json"))) as! [String: Any]
        let sources = json["sources"] as! [[String: Any]]
        XCTAssertEqual(sources.map { $0["name"] as! String }, ["web", "books"])
        XCTAssertEqual(sources[1]["documents"] as? Int, 1, "a book's chapters are one document")
        XCTAssertEqual(sources[1]["tokens"] as? Int, 3, "ab ab + ab: the blank line joining chapters is not in this tiny vocabulary (dropped, no unk)")
        let bad = try runCLI(["data", "stats", "--tokenizer", tokenizer, "--source", "=x"], stdin: [])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssert(bad.err.contains("source '=x'"), bad.err)
    }
}
