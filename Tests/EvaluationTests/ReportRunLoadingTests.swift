import XCTest
@testable import Evaluation

/// Reading run directories: records round-trip, bad lines are named by file and line, a cut-off last line is
/// skipped and reported.
final class ReportRunLoadingTests: XCTestCase {
    typealias S = ReportTestSupport

    func testLoadsWhatTheRunnerWrote() throws {
        let directory = try S.temporaryDirectory("load")
        let records = ReportSummaryTests.niahRecords
        try S.writeRun(directory, info: S.info("tiny", trainedLength: 1000), records: records)
        let (info, loaded) = try EvalSummary.load(runDirectory: directory)
        XCTAssertEqual(info, S.info("tiny", trainedLength: 1000))
        XCTAssertEqual(loaded, records)
    }

    func testBadLineIsNamedByFileAndLine() throws {
        let directory = try S.temporaryDirectory("badline")
        try S.writeRun(directory, info: S.info("x"), records: [])
        let good = try S.jsonLines([S.record(length: 10, score: 1), S.record(length: 10, score: 0)])
        let text = good + "{\"id\": \"broken\"\n" + (try S.jsonLines([S.record(length: 10, score: 1)]))
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/samples.jsonl"))
        XCTAssertThrowsError(try LoadedEvalRun(runDirectory: directory)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(directory + "/samples.jsonl:3:"), message)
        }
    }

    func testMissingFieldIsNamed() throws {
        let directory = try S.temporaryDirectory("missing")
        try S.writeRun(directory, info: S.info("x"), records: [S.record(length: 10, score: 1)],
                       samplesSuffix: "{\"id\": \"a\", \"task\": \"niah\"}\n")
        XCTAssertThrowsError(try LoadedEvalRun(runDirectory: directory)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("samples.jsonl:2:"), message)
            XCTAssertTrue(message.contains("missing key 'contextLength'"), message)
        }
    }

    func testTruncatedLastLineIsSkippedAndReported() throws {
        let directory = try S.temporaryDirectory("truncated")
        let records = [S.record(length: 10, score: 1), S.record(length: 10, score: 0)]
        // The runner was killed while writing the third line: no newline, JSON cut in the middle.
        try S.writeRun(directory, info: S.info("x"), records: records, samplesSuffix: "{\"id\":\"c\",\"task\":\"ni")
        let run = try LoadedEvalRun(runDirectory: directory)
        XCTAssertEqual(run.records, records)
        XCTAssertEqual(run.notes.count, 1)
        XCTAssertTrue(run.notes[0].contains("samples.jsonl:3: ignored a truncated last line"), run.notes[0])

        // The report keeps going and says what it skipped.
        let files = try EvalReport.write(runDirectory: directory)
        XCTAssertEqual(files.notes, run.notes)
        let markdown = try String(contentsOfFile: files.summaryMarkdown!, encoding: .utf8)
        XCTAssertTrue(markdown.contains("ignored a truncated last line"), markdown)
        let summary = try JSONDecoder().decode(EvalSummary.self, from: Data(contentsOf: URL(fileURLWithPath: files.summaryJSON!)))
        XCTAssertEqual(summary.count, 2)
        XCTAssertEqual(summary.notes, run.notes)
    }

    func testBadLastLineWithItsNewlineIsAnError() throws {
        let directory = try S.temporaryDirectory("badlast")
        try S.writeRun(directory, info: S.info("x"), records: [S.record(length: 10, score: 1)], samplesSuffix: "not json\n")
        XCTAssertThrowsError(try LoadedEvalRun(runDirectory: directory)) { error in
            XCTAssertTrue("\(error)".contains("samples.jsonl:2: not a sample record"), "\(error)")
        }
    }

    func testCompleteLastLineWithoutNewlineIsKept() throws {
        let directory = try S.temporaryDirectory("nonewline")
        let records = [S.record(length: 10, score: 1), S.record(length: 20, score: 0.5)]
        var text = try S.jsonLines(records)
        text.removeLast()
        try S.writeRun(directory, info: S.info("x"), records: [])
        try Data((text + "\n\n").utf8).write(to: URL(fileURLWithPath: directory + "/samples.jsonl"))
        XCTAssertEqual(try LoadedEvalRun(runDirectory: directory).records, records, "blank lines are skipped")
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/samples.jsonl"))
        let run = try LoadedEvalRun(runDirectory: directory)
        XCTAssertEqual(run.records, records)
        XCTAssertTrue(run.notes.isEmpty)
    }

    func testMissingRunDescriptionNamesTheFile() throws {
        let directory = try S.temporaryDirectory("norun")
        XCTAssertThrowsError(try LoadedEvalRun(runDirectory: directory)) { error in
            XCTAssertTrue("\(error)".contains(directory + "/run.json"), "\(error)")
        }
        try Data("{\"label\": 3}".utf8).write(to: URL(fileURLWithPath: directory + "/run.json"))
        XCTAssertThrowsError(try LoadedEvalRun(runDirectory: directory)) { error in
            XCTAssertTrue("\(error)".contains("run.json: not a run description"), "\(error)")
        }
    }
}
