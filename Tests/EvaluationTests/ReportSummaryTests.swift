import XCTest
@testable import Evaluation

/// EvalSummary on hand-made records, every mean worked out by hand in the comments.
final class ReportSummaryTests: XCTestCase {
    typealias S = ReportTestSupport

    /// Two lengths x two depths, uneven sample counts, and a second metric only some records have.
    static let niahRecords: [EvalRecord] = [
        S.record(length: 1000, depth: 0, score: 1.0, extra: ["recall": 1.0]),
        S.record(length: 1000, depth: 0, score: 0.5, extra: ["recall": 0.0]),
        S.record(length: 1000, depth: 50, score: 0.0),
        S.record(length: 2000, depth: 0, score: 0.25),
        S.record(length: 2000, depth: 50, score: 1.0),
        S.record(length: 2000, depth: 50, score: 0.0),
        S.record(length: 2000, depth: 50, score: 0.5),
    ]

    func testMeansOverallPerLengthAndPerCell() throws {
        let summary = EvalSummary(records: Self.niahRecords, info: S.info("tiny", trainedLength: 1000))
        XCTAssertEqual(summary.count, 7)
        XCTAssertEqual(summary.metrics, ["score", "recall"])
        // (1 + 0.5 + 0 + 0.25 + 1 + 0 + 0.5) / 7 = 3.25 / 7
        XCTAssertEqual(summary.means["score"]!, 3.25 / 7, accuracy: 1e-12)
        // recall only on the two records that have it: (1 + 0) / 2
        XCTAssertEqual(summary.means["recall"]!, 0.5, accuracy: 1e-12)

        XCTAssertEqual(summary.byLength.map(\.contextLength), [1000, 2000])
        XCTAssertEqual(summary.byLength.map(\.count), [3, 4])
        // 1000: (1 + 0.5 + 0) / 3 = 0.5; 2000: (0.25 + 1 + 0 + 0.5) / 4 = 0.4375
        XCTAssertEqual(summary.mean(contextLength: 1000)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(summary.mean(contextLength: 2000)!, 0.4375, accuracy: 1e-12)
        XCTAssertEqual(summary.mean("recall", contextLength: 1000)!, 0.5, accuracy: 1e-12)
        XCTAssertNil(summary.mean("recall", contextLength: 2000))
        XCTAssertNil(summary.mean(contextLength: 4000))

        // Cells (length, depth): (1000, 0) = 0.75 n=2; (1000, 50) = 0 n=1; (2000, 0) = 0.25 n=1; (2000, 50) = 0.5 n=3
        XCTAssertEqual(summary.cells.map(\.contextLength), [1000, 1000, 2000, 2000])
        XCTAssertEqual(summary.cells.map(\.depth), [0, 50, 0, 50])
        XCTAssertEqual(summary.cells.map(\.count), [2, 1, 1, 3])
        let cellScores = summary.cells.map { $0.means["score"]! }
        for (actual, expected) in zip(cellScores, [0.75, 0.0, 0.25, 0.5]) { XCTAssertEqual(actual, expected, accuracy: 1e-12) }
        XCTAssertEqual(summary.depths, [0, 50])
        XCTAssertEqual(summary.trainedLength, 1000)
        XCTAssertEqual(summary.label, "tiny")
        XCTAssertTrue(summary.subTasks.isEmpty, "one task: no sub-task breakdown")
    }

    func testSubTasksGroupByTaskAndLength() throws {
        let records = [
            S.record("ruler/niah_single_1", length: 4096, score: 1),
            S.record("ruler/niah_single_1", length: 4096, score: 1),
            S.record("ruler/niah_single_1", length: 8192, score: 0.5),
            S.record("ruler/vt", length: 4096, score: 0.2),
            S.record("ruler/vt", length: 8192, score: 0.4),
            S.record("ruler/vt", length: 8192, score: 0.6),
        ]
        let summary = EvalSummary(records: records, info: S.info("ruler run", task: "ruler"))
        XCTAssertTrue(summary.cells.isEmpty, "no depths: no cells")
        XCTAssertEqual(summary.subTasks.map(\.name), ["ruler/niah_single_1", "ruler/vt"])
        XCTAssertEqual(summary.subTasks.map(\.count), [3, 3])
        // niah_single_1: (1 + 1 + 0.5) / 3; vt: (0.2 + 0.4 + 0.6) / 3 = 0.4
        XCTAssertEqual(summary.subTasks[0].means["score"]!, 2.5 / 3, accuracy: 1e-12)
        XCTAssertEqual(summary.subTasks[1].means["score"]!, 0.4, accuracy: 1e-12)
        // Per length inside sub-tasks: niah 4096 = 1, 8192 = 0.5; vt 4096 = 0.2, 8192 = 0.5
        XCTAssertEqual(summary.subTasks[0].byLength.map { $0.means["score"]! }, [1, 0.5])
        XCTAssertEqual(summary.subTasks[1].byLength[0].means["score"]!, 0.2, accuracy: 1e-12)
        XCTAssertEqual(summary.subTasks[1].byLength[1].means["score"]!, 0.5, accuracy: 1e-12)
        // Lengths over all sub-tasks: 4096 = (1 + 1 + 0.2) / 3, 8192 = (0.5 + 0.4 + 0.6) / 3 = 0.5
        XCTAssertEqual(summary.mean(contextLength: 4096)!, 2.2 / 3, accuracy: 1e-12)
        XCTAssertEqual(summary.mean(contextLength: 8192)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(summary.means["score"]!, 3.7 / 6, accuracy: 1e-12)
    }

    func testKindFieldRefinesTheSubTask() {
        let records = [
            S.record("helmet", length: 8192, score: 1, fields: ["kind": "json_kv"]),
            S.record("helmet", length: 8192, score: 0, fields: ["kind": "recall"]),
            S.record("helmet", length: 8192, score: 0.5, fields: ["kind": "recall"]),
        ]
        let summary = EvalSummary(records: records)
        XCTAssertEqual(summary.subTasks.map(\.name), ["helmet/json_kv", "helmet/recall"])
        XCTAssertEqual(summary.subTasks.map { $0.means["score"]! }, [1, 0.25])
        XCTAssertEqual(summary.task, "helmet", "without run.json the task comes from the records")
    }

    func testEmptyRunSummarises() {
        let summary = EvalSummary(records: [], info: S.info("empty"))
        XCTAssertEqual(summary.count, 0)
        XCTAssertTrue(summary.means.isEmpty && summary.byLength.isEmpty && summary.cells.isEmpty)
        XCTAssertTrue(summary.markdown.contains("No samples yet."))
    }

    func testJSONRoundTrips() throws {
        let summary = EvalSummary(records: Self.niahRecords, info: S.info("tiny"), notes: ["a note"])
        let decoded = try JSONDecoder().decode(EvalSummary.self, from: try EvalReport.encodeJSON(summary))
        XCTAssertEqual(decoded, summary)
    }

    func testMarkdownTableRowsAreLengthsColumnsMetrics() {
        let summary = EvalSummary(records: Self.niahRecords, info: S.info("tiny", trainedLength: 1000))
        let expected = """
        | length | samples | score | recall |
        | --- | ---: | ---: | ---: |
        | 1000 | 3 | 0.500 | 0.500 |
        | 2000 | 4 | 0.438 | – |
        | overall | 7 | 0.464 | 0.500 |

        """
        XCTAssertTrue(summary.markdown.contains(expected), summary.markdown)
        XCTAssertTrue(summary.markdown.hasPrefix("# tiny\n"))
        XCTAssertTrue(summary.markdown.contains("trained length 1000 tokens"))
        // The depth grid: rows depths, columns lengths.
        let grid = """
        | depth | 1000 | 2000 |
        | --- | ---: | ---: |
        | 0 | 0.750 | 0.250 |
        | 50 | 0.000 | 0.500 |

        """
        XCTAssertTrue(summary.markdown.contains(grid), summary.markdown)
    }

    func testMarkdownHasAColumnPerSubTask() {
        let records = [
            S.record("ruler/a", length: 4096, score: 1), S.record("ruler/b", length: 4096, score: 0),
            S.record("ruler/a", length: 8192, score: 0.5),
        ]
        let markdown = EvalSummary(records: records, info: S.info("r", task: "ruler")).markdown
        XCTAssertTrue(markdown.contains("| length | samples | score | ruler/a (score) | ruler/b (score) |"), markdown)
        XCTAssertTrue(markdown.contains("| 8192 | 1 | 0.500 | 0.500 | – |"), markdown)
        XCTAssertTrue(markdown.contains("| overall | 3 | 0.500 | 0.750 | 0.000 |"), markdown)
    }
}
