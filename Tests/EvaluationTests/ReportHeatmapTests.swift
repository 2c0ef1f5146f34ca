import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Evaluation

/// The needle heatmap's SVG: well-formed XML, one cell per (depth, length) coloured as matplotlib colours the
/// score, Fu et al.'s labels and title, and the trained-length line between the right columns.
final class ReportHeatmapTests: XCTestCase {
    typealias S = ReportTestSupport

    /// Every element of an SVG with its attributes and text, parsed by Foundation's XMLParser.
    final class SVGElements: NSObject, XMLParserDelegate {
        struct Element {
            var name: String
            var attributes: [String: String]
            var text = ""
        }
        var elements: [Element] = []
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> [Element] {
            let parser = XMLParser(data: Data(svg.utf8))
            let delegate = SVGElements()
            parser.delegate = delegate
            XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))",
                          file: file, line: line)
            return delegate.elements
        }
    }

    static let lengths = [1024, 2048, 4096, 8192, 16384, 32768]
    static let depths: [Double] = [0, 11, 22, 33, 44, 56, 67, 78, 89, 100]

    /// Scores drawn from the colour fixture so each cell's colour is known from matplotlib.
    static func fixtureScores() throws -> [(Double, String)] {
        let url = URL(fileURLWithPath: S.repoRoot + "/Tests/Fixtures/report/heatmap_colors.json")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["samples"] as! [[String: Any]]).map { ($0["score"] as! Double, $0["hex"] as! String) }
    }

    func testCellsCarryMatplotlibColoursForTheirScores() throws {
        let fixture = try Self.fixtureScores()
        // Cell (row, column) takes fixture sample (row * columns + column) % count: many distinct colours.
        var expected: [String: String] = [:]
        var records: [EvalRecord] = []
        for (row, depth) in Self.depths.enumerated() {
            for (column, length) in Self.lengths.enumerated() {
                let (score, hex) = fixture[(row * Self.lengths.count + column) % fixture.count]
                records.append(S.record(length: length, depth: depth, score: score))
                expected["\(length)/\(ReportFormatting.depth(depth))"] = hex
            }
        }
        let summary = EvalSummary(records: records, info: S.info("Fixture model", trainedLength: 4096))
        let svg = HeatmapFigure.single(HeatmapPanel(summary: summary)!).svg
        let elements = SVGElements.parse(svg)
        let cells = elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
        XCTAssertEqual(cells.count, Self.lengths.count * Self.depths.count)
        for cell in cells {
            let key = cell.attributes["data-length"]! + "/" + cell.attributes["data-depth"]!
            XCTAssertEqual(cell.attributes["fill"], expected[key], "cell \(key)")
            XCTAssertEqual(cell.attributes["stroke"], "#808080", "grey cell borders")
        }
        // Depth 0 on the top row, 100 at the bottom; lengths grow left to right.
        func cell(_ length: Int, _ depth: String) -> (Double, Double) {
            let element = cells.first { $0.attributes["data-length"] == String(length) && $0.attributes["data-depth"] == depth }!
            return (Double(element.attributes["x"]!)!, Double(element.attributes["y"]!)!)
        }
        XCTAssertLessThan(cell(1024, "0").1, cell(1024, "100").1)
        XCTAssertLessThan(cell(1024, "0").0, cell(32768, "0").0)

        // The trained length (4096) line sits on the boundary between 4096 and 8192.
        let line = try XCTUnwrap(elements.first { $0.attributes["class"] == "trained-length" })
        let x = Double(line.attributes["points"]!.split(separator: ",")[0])!
        XCTAssertEqual(x, cell(8192, "0").0)
        XCTAssertEqual(line.attributes["stroke"], "#ffffff")
        XCTAssertNotNil(line.attributes["stroke-dasharray"])
    }

    func testLabelsTitleAndColourBar() throws {
        let records = S.gridRecords(lengths: [1000, 2000], depths: [0, 50, 100]) { length, _ in length == 1000 ? 1 : 0.5 }
        let summary = EvalSummary(records: records, info: S.info("SmolLM2 <YaRN> & co", trainedLength: 1500))
        let elements = SVGElements.parse(HeatmapFigure.single(HeatmapPanel(summary: summary)!).svg)
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        // Mean of 3 x 1 and 3 x 0.5 = 0.75; the label's markup characters survive escaping.
        XCTAssertTrue(texts.contains("Pressure Testing SmolLM2 <YaRN> & co - average score 0.750"), "\(texts)")
        XCTAssertTrue(texts.contains(HeatmapFigure.subtitle))
        for label in ["Token Limit", "Depth Percent", "Score", "1000", "2000", "0", "50", "100",
                      "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
        XCTAssertEqual(elements.filter { $0.name == "stop" }.map { $0.attributes["stop-color"] },
                       ["#f0496e", "#ebb839", "#0cd79f"], "the colour bar runs through Fu et al.'s colours")
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "colorbar" }.count, 1)
        XCTAssertNotNil(elements.first { $0.name == "svg" }?.attributes["width"])
    }

    func testNoTrainedLineWhenEveryLengthIsWithinIt() throws {
        let records = S.gridRecords(lengths: [1000, 2000], depths: [0, 100]) { _, _ in 1 }
        for trained in [nil, 2000, 5000] as [Int?] {
            let panel = HeatmapPanel(summary: EvalSummary(records: records, info: S.info("m", trainedLength: trained)))!
            XCTAssertNil(panel.trainedBoundary)
            XCTAssertFalse(HeatmapFigure.single(panel).svg.contains("trained-length"))
        }
        let below = HeatmapPanel(summary: EvalSummary(records: records, info: S.info("m", trainedLength: 500)))!
        XCTAssertEqual(below.trainedBoundary, 0, "every length beyond training: the line on the left edge")
    }

    func testMissingCellsAreBlankAndRunsWithoutDepthsHaveNoHeatmap() throws {
        let records = [S.record(length: 1000, depth: 0, score: 1), S.record(length: 2000, depth: 50, score: 0)]
        let panel = HeatmapPanel(summary: EvalSummary(records: records, info: S.info("m")))!
        XCTAssertEqual(panel.values, [[1, nil], [nil, 0]])
        let cells = SVGElements.parse(HeatmapFigure.single(panel).svg).filter { $0.attributes["class"]?.hasPrefix("cell") == true }
        XCTAssertEqual(cells.filter { $0.attributes["class"] == "cell missing" }.count, 2)
        XCTAssertTrue(cells.filter { $0.attributes["class"] == "cell missing" }.allSatisfy { $0.attributes["fill"] == "#ffffff" })
        XCTAssertNil(HeatmapPanel(summary: EvalSummary(records: [S.record(length: 10, score: 1)])))
    }
}
