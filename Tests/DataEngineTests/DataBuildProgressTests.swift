import Foundation
import TestSupport
import XCTest

/// `longctx data build` reports progress on stderr (a line every few seconds when stderr is not a terminal,
/// the first at once): documents, bytes read, tokens written, rate and ETA.
final class DataBuildProgressTests: XCTestCase {
    func testBuildReportsProgressOnStandardError() throws {
        let root = try TestData.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let documents = (0..<300).map { TestData.document("d\($0)", words: 50 + ($0 * 37) % 400, seed: $0) }
        for part in 0..<3 {  // several files: the bytes are summed over them
            try TestData.write(TestData.jsonl(Array(documents[(part * 100)..<(part * 100 + 100)])), to: root + "/corpus/\(part).jsonl")
        }
        try TestData.write("""
            name: progress
            seed: 2
            tokenizer: \(TestData.tokenizer)
            stages:
              - name: s
                sequence_length: 256
                tokens: 20000
                sources:
                  - {name: all, input: "jsonl:\(root)/corpus", proportion: 1.0}
            """, to: root + "/recipe.yaml")
        let run = try runProgram(try LongctxBinary.path(), ["data", "build", "--recipe", root + "/recipe.yaml", "--out", root + "/out"])
        XCTAssertTrue(run.succeeded, run.stderr)
        let line = try XCTUnwrap(run.stderr.split(separator: "\n").first { $0.hasPrefix("s.0: ") }, run.stderr)
        XCTAssertNotNil(line.range(of: #"^s\.0: \d+ documents, \d+ MiB read, \d+ tokens written \(\d+%\), \d+ tokens/s, ETA \d+m\d+s$"#,
                                   options: .regularExpression), String(line))
    }
}
