import Foundation
import XCTest
@testable import Evaluation

/// `EvalReport.compare` and `EvalReport.write` on hand-made runs: comparison.md worked out by hand, and the
/// heatmaps and curves that come with it.
final class ReportComparisonTests: XCTestCase {
    typealias S = ReportTestSupport
    typealias XML = ReportHeatmapTests.SVGElements

    /// "base": 1000 -> (1 + 0.5) / 2 = 0.75, 2000 -> (0 + 0.5) / 2 = 0.25, overall 0.5.
    /// "long": 1000 -> 1, 2000 -> 0.5, 4000 -> 0.25, overall 3.5 / 6; `exact` only here: 1, 0.5, 0, overall 0.5.
    static func writeTwoRuns(_ root: String, trained: (Int, Int) = (1000, 2000)) throws -> [String] {
        let base = [
            S.record(length: 1000, depth: 0, score: 1), S.record(length: 1000, depth: 100, score: 0.5),
            S.record(length: 2000, depth: 0, score: 0), S.record(length: 2000, depth: 100, score: 0.5),
        ]
        let long = [
            S.record(length: 1000, depth: 0, score: 1, extra: ["exact": 1]), S.record(length: 1000, depth: 100, score: 1, extra: ["exact": 1]),
            S.record(length: 2000, depth: 0, score: 1, extra: ["exact": 1]), S.record(length: 2000, depth: 100, score: 0, extra: ["exact": 0]),
            S.record(length: 4000, depth: 0, score: 0.25, extra: ["exact": 0]), S.record(length: 4000, depth: 100, score: 0.25, extra: ["exact": 0]),
        ]
        return [
            try S.writeRun(root + "/base", info: S.info("base", trainedLength: trained.0), records: base),
            try S.writeRun(root + "/long", info: S.info("long", trainedLength: trained.1), records: long),
        ]
    }

    func testComparisonMarkdownForTwoRuns() throws {
        let root = try S.temporaryDirectory("compare")
        let files = try EvalReport.compare(runDirectories: try Self.writeTwoRuns(root), outputDirectory: root + "/report/out")
        let markdown = try String(contentsOfFile: try XCTUnwrap(files.comparisonMarkdown), encoding: .utf8)
        let expected = """
        # Comparison

        | run | task | target | trained length | samples |
        | --- | --- | --- | ---: | ---: |
        | base | niah | models/base | 1000 | 4 |
        | long | niah | models/long | 2000 | 6 |

        ## score

        | length | base | long |
        | --- | ---: | ---: |
        | 1000 | 0.750 | 1.000 |
        | 2000 | 0.250 | 0.500 |
        | 4000 | – | 0.250 |
        | overall | 0.500 | 0.583 |

        ## exact

        | length | base | long |
        | --- | ---: | ---: |
        | 1000 | – | 1.000 |
        | 2000 | – | 0.500 |
        | 4000 | – | 0.000 |
        | overall | – | 0.500 |

        """
        XCTAssertEqual(markdown, expected)
        XCTAssertEqual(files.comparisonMarkdown, root + "/report/out/comparison.md")
        for path in files.all { XCTAssertTrue(FileManager.default.fileExists(atPath: path), path) }
        XCTAssertEqual(files.heatmapSVGs.count, 2)
        XCTAssertEqual(files.heatmapPNGs.count, 2)
        XCTAssertNotNil(files.combinedHeatmapSVG)
        XCTAssertNotNil(files.curvesPNG)
    }

    func testCombinedHeatmapHasBothPanelsAndOneColourBar() throws {
        let root = try S.temporaryDirectory("combined")
        let files = try EvalReport.compare(runDirectories: try Self.writeTwoRuns(root), outputDirectory: root + "/out")
        let elements = XML.parse(try String(contentsOfFile: files.combinedHeatmapSVG!, encoding: .utf8))
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "colorbar" }.count, 1)
        // base: 2 lengths x 2 depths; long: 3 x 2.
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "cell" }.count, 4 + 6)
        let titles = elements.filter { $0.attributes["class"] == "panel-title" }.map(\.text)
        XCTAssertEqual(titles, ["base - average score 0.500", "long - average score 0.583"])
        // Panels side by side: every "long" cell lies right of every "base" cell.
        let cells = elements.filter { $0.attributes["class"] == "cell" }.map { Double($0.attributes["x"]!)! }
        XCTAssertLessThan(cells.prefix(4).max()!, cells.suffix(6).min()!)
        // One trained-length line each: base at 1000 (between 1000 and 2000), long at 2000 (between 2000 and 4000).
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "trained-length" }.count, 2)
    }

    func testCurvesHaveALinePerRunAndTrainedLines() throws {
        let root = try S.temporaryDirectory("curves")
        let files = try EvalReport.compare(runDirectories: try Self.writeTwoRuns(root), outputDirectory: root + "/out")
        let elements = XML.parse(try String(contentsOfFile: files.curvesSVG!, encoding: .utf8))
        let curves = elements.filter { $0.attributes["class"] == "curve" }
        XCTAssertEqual(curves.count, 2)
        XCTAssertEqual(curves.map { $0.attributes["points"]!.split(separator: " ").count }, [2, 3])
        XCTAssertEqual(curves.map { $0.attributes["stroke"] }, ["#1f77b4", "#ff7f0e"])
        // base's points: y of 0.75 above y of 0.25 (SVG y grows downwards).
        let basePoints = curves[0].attributes["points"]!.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertLessThan(basePoints[0][1], basePoints[1][1])
        XCTAssertLessThan(basePoints[0][0], basePoints[1][0])
        let legend = elements.filter { $0.attributes["class"] == "legend" }.map(\.text)
        XCTAssertEqual(legend, ["base", "long", "base: trained 1000", "long: trained 2000"])
        let trained = elements.filter { $0.attributes["class"] == "trained-length" }
        XCTAssertEqual(trained.map { $0.attributes["stroke"] }, ["#1f77b4", "#ff7f0e"])
        // base's trained line (1000) is at its first point's x.
        XCTAssertEqual(Double(trained[0].attributes["points"]!.split(separator: ",")[0])!, basePoints[0][0])
    }

    func testSharedTrainedLengthDrawsOneLine() throws {
        let root = try S.temporaryDirectory("shared")
        let files = try EvalReport.compare(runDirectories: try Self.writeTwoRuns(root, trained: (2000, 2000)),
                                           outputDirectory: root + "/out")
        let elements = XML.parse(try String(contentsOfFile: files.curvesSVG!, encoding: .utf8))
        let trained = elements.filter { $0.attributes["class"] == "trained-length" }
        XCTAssertEqual(trained.count, 1)
        XCTAssertEqual(trained[0].attributes["stroke"], "#808080")
        XCTAssertTrue(elements.filter { $0.attributes["class"] == "legend" }.map(\.text).contains("trained length 2000"))
    }

    func testSubTaskTablesAndDuplicateLabels() throws {
        let root = try S.temporaryDirectory("ruler")
        let first = [S.record("ruler/vt", length: 4096, score: 1), S.record("ruler/qa", length: 4096, score: 0.5)]
        let second = [S.record("ruler/vt", length: 4096, score: 0), S.record("ruler/qa", length: 8192, score: 0.25)]
        let runs = [
            try S.writeRun(root + "/first", info: S.info("same", task: "ruler"), records: first),
            try S.writeRun(root + "/second", info: S.info("same", task: "ruler"), records: second),
        ]
        let files = try EvalReport.compare(runDirectories: runs, outputDirectory: root + "/out")
        let markdown = try String(contentsOfFile: files.comparisonMarkdown!, encoding: .utf8)
        let vt = """
        ## ruler/vt (score)

        | length | same (first) | same (second) |
        | --- | ---: | ---: |
        | 4096 | 1.000 | 0.000 |
        | overall | 1.000 | 0.000 |

        """
        XCTAssertTrue(markdown.contains(vt), markdown)
        let qa = """
        | 4096 | 0.500 | – |
        | 8192 | – | 0.250 |
        | overall | 0.500 | 0.250 |
        """
        XCTAssertTrue(markdown.contains(qa), markdown)
        XCTAssertTrue(files.heatmapSVGs.isEmpty, "no depths, no heatmaps")
        XCTAssertNil(files.combinedHeatmapSVG)
        XCTAssertNotNil(files.curvesSVG)
    }

    func testWriteSingleRun() throws {
        let root = try S.temporaryDirectory("single")
        let directories = try Self.writeTwoRuns(root)
        let files = try EvalReport.write(runDirectory: directories[0])
        XCTAssertEqual(files.summaryJSON, directories[0] + "/summary.json")
        XCTAssertEqual(files.summaryMarkdown, directories[0] + "/summary.md")
        XCTAssertEqual(files.heatmapSVGs, [directories[0] + "/heatmap.svg"])
        XCTAssertEqual(files.heatmapPNGs, [directories[0] + "/heatmap.png"])
        let summary = try JSONDecoder().decode(EvalSummary.self, from: Data(contentsOf: URL(fileURLWithPath: files.summaryJSON!)))
        XCTAssertEqual(summary.means["score"], 0.5)
        _ = try ReportPNGTests.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: files.heatmapPNGs[0]))))

        let flat = try S.writeRun(root + "/flat", info: S.info("flat"), records: [S.record(length: 10, score: 1)])
        let flatFiles = try EvalReport.write(runDirectory: flat)
        XCTAssertTrue(flatFiles.heatmapSVGs.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: flat + "/heatmap.svg"))
        XCTAssertThrowsError(try EvalReport.compare(runDirectories: [], outputDirectory: root + "/none"))
    }
}
