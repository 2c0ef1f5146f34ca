import Foundation
import XCTest

/// `longctx eval niah` killed with SIGKILL after its first record and rerun: every sample exactly once, equal to an
/// uninterrupted run; a finished run reruns to nothing new; another seed or --chat into the same directory is
/// refused. The run's summary, heatmap and a comparison report are written.
final class CLIEvalResumeTests: XCTestCase {
    func testKilledNIAHRunResumesToTheUninterruptedResult() throws {
        let directory = try InferenceTestSupport.smolLM2Directory()
        _ = try CLITestSupport.binary()
        let root = try InferenceTestSupport.temporaryDirectory("cli-resume")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let haystack = root + "/haystack.txt"
        try CLITestSupport.prose.write(toFile: haystack, atomically: true, encoding: .utf8)
        let killed = root + "/killed", whole = root + "/whole"
        func niah(_ out: String, _ extra: [String] = []) -> [String] {
            ["eval", "niah", "--model", directory, "--haystack", haystack, "--lengths", "600,1000", "--depths", "0,50,100",
             "--max-new-tokens", "16", "--out", out] + extra
        }
        let sampleCount = 6

        // Uninterrupted reference run.
        try CLITestSupport.longctxSucceeding(niah(whole))
        let reference = try CLITestSupport.records(whole)
        XCTAssertEqual(reference.count, sampleCount)

        // Killed as soon as its first record is on disk.
        let child = try CLITestSupport.Child(niah(killed))
        let samples = killed + "/samples.jsonl"
        let sawRecord = child.wait(upTo: 300) {
            ((try? Data(contentsOf: URL(fileURLWithPath: samples))) ?? Data()).contains(0x0A)
        }
        child.signal(SIGKILL)
        let exit = child.finish()
        XCTAssertTrue(sawRecord, "no record appeared before the run ended:\n\(child.stderr.suffix(2000))")
        XCTAssertTrue(exit.signalled, "the run was still going when killed (finished with \(exit.status))")
        let before = try CLITestSupport.records(killed).count
        XCTAssertGreaterThanOrEqual(before, 1)
        XCTAssertLessThan(before, sampleCount, "the kill left work to resume")

        let resumed = try CLITestSupport.longctx(niah(killed))
        XCTAssertTrue(resumed.succeeded, resumed.stderr.suffix(4000).description)
        XCTAssertTrue(resumed.stderr.contains("resuming: \(before) of \(sampleCount) samples already done"), resumed.stderr)
        let final = try CLITestSupport.records(killed)
        let ids = final.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, sampleCount)
        XCTAssertEqual(Set(ids).count, sampleCount, "every sample exactly once: \(ids)")
        XCTAssertEqual(try CLITestSupport.comparable(final), try CLITestSupport.comparable(reference),
                       "ids, prompt hashes, outputs and scores of the resumed run equal the uninterrupted run's")

        // A finished run reruns to nothing new.
        let finishedBytes = try Data(contentsOf: URL(fileURLWithPath: samples))
        let rerun = try CLITestSupport.longctx(niah(killed))
        XCTAssertTrue(rerun.succeeded, rerun.stderr.suffix(4000).description)
        XCTAssertTrue(rerun.stderr.contains("resuming: \(sampleCount) of \(sampleCount) samples already done"), rerun.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: samples)), finishedBytes)

        // Another seed or the chat template is another run: refused, the directory untouched.
        for extra in [["--seed", "7"], ["--chat"]] {
            let refused = try CLITestSupport.longctx(niah(killed, extra))
            XCTAssertFalse(refused.succeeded, "\(extra) into a finished run's directory must be refused")
            XCTAssertTrue(refused.stderr.contains("describes another run"), "\(extra): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(killed + "/run.json"), "the error names the run file: \(refused.stderr)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: samples)), finishedBytes)
        }

        // The run's reports.
        for file in ["run.json", "summary.json", "summary.md", "heatmap.svg", "heatmap.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: killed + "/" + file), "\(file) in the run directory")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: killed + "/summary.json")))
        XCTAssertNotNil(summary as? [String: Any], "summary.json is a JSON object")
        let png = try Data(contentsOf: URL(fileURLWithPath: killed + "/heatmap.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
        let svg = try String(contentsOfFile: killed + "/heatmap.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "an SVG document")

        let comparison = root + "/comparison"
        try CLITestSupport.longctxSucceeding(["eval", "report", killed, whole, "--out", comparison])
        let markdown = try String(contentsOfFile: comparison + "/comparison.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("|"), "comparison.md holds a table:\n\(markdown)")
        XCTAssertTrue(markdown.contains("600") && markdown.contains("1000"), "rows for both lengths:\n\(markdown)")
    }
}
