import XCTest
@testable import Evaluation

/// Figure layout: for grids from 1x1 to 40 lengths x 20 depths, side-by-side panels and curve plots, no two
/// labels overlap, none leaves the canvas, and none lies on the grid, the colour bar or the plot. Label boxes come
/// from the bitmap font's metrics, and are first checked against the pixels the font actually draws.
final class ReportLayoutTests: XCTestCase {
    typealias S = ReportTestSupport

    /// A NIAH panel with `lengths` context lengths (doubling from 1024, so labels reach 12 digits at 40) and
    /// `depths` depths evenly spread over 0...100 with two decimals, like Fu et al.'s np.linspace.
    static func panel(lengths: Int, depths: Int, label: String = "SmolLM2-135M", trainedIndex: Int = 1) -> HeatmapPanel {
        let lengthValues = (0..<lengths).map { 1024 << $0 }
        let depthValues: [Double] = depths == 1 ? [50]
            : (0..<depths).map { (Double($0) * 100 / Double(depths - 1) * 100).rounded() / 100 }
        let records = S.gridRecords(lengths: lengthValues, depths: depthValues) { length, depth in
            Double((length / 1024 + Int(depth)) % 11) / 10
        }
        let trained = lengthValues[min(trainedIndex, lengthValues.count - 1)]
        return HeatmapPanel(summary: EvalSummary(records: records, info: S.info(label, trainedLength: trained)))!
    }

    static let grids = [(1, 1), (1, 5), (5, 1), (2, 2), (3, 3), (1, 20), (40, 1), (7, 11), (40, 20)]

    static var heatmaps: [(String, ReportFigure)] {
        var figures = grids.map { ("single \($0)x\($1)", HeatmapFigure.single(panel(lengths: $0, depths: $1))) }
        figures.append(("single, long label", HeatmapFigure.single(panel(lengths: 2, depths: 2,
            label: "SmolLM2-135M-Instruct + YaRN x4 (continued pre-training on long-data-collections, 80K steps)"))))
        let pairs = [((1, 1), (1, 5)), ((2, 2), (3, 2)), ((40, 20), (1, 1)), ((1, 3), (6, 10))]
        for (a, b) in pairs {
            figures.append(("combined \(a) + \(b)", HeatmapFigure.combined([
                panel(lengths: a.0, depths: a.1, label: "a"),
                panel(lengths: b.0, depths: b.1, label: "a run with a label wider than its grid", trainedIndex: 0),
            ])))
        }
        figures.append(("combined, three", HeatmapFigure.combined([panel(lengths: 2, depths: 2, label: "x"),
                                                                   panel(lengths: 1, depths: 1, label: "y"),
                                                                   panel(lengths: 3, depths: 3, label: "z")])))
        return figures
    }

    static var curves: [(String, ReportFigure)] {
        let doubling = (0..<11).map { 1000 << $0 }  // 1000 ... 1024000: seven-digit labels at the edges
        let many = (0..<12).map { index in
            CurveSeries(label: "run \(index) " + String(repeating: "x", count: index * 3),
                        points: doubling.map { ($0, Double(($0 / 1000 + index) % 7) / 6) }, trainedLength: 4000 << (index % 3))
        }
        return [
            ("curves, one point", CurvesFigure.figure([CurveSeries(label: "x", points: [(4096, 0.7)], trainedLength: nil)],
                                                      metric: "score")),
            ("curves, two runs", CurvesFigure.figure([
                CurveSeries(label: "a", points: [(2048, 1), (4096, 0.5)], trainedLength: 2048),
                CurveSeries(label: "b", points: [(2048, 0.8), (4096, 0.2), (8192, 0.1)], trainedLength: 4096),
            ], metric: "score")),
            ("curves, twelve runs over 11 lengths", CurvesFigure.figure(many, metric: "score")),
            ("curves, seven-digit lengths at both ends", CurvesFigure.figure([
                CurveSeries(label: "long", points: (17...20).map { (1 << $0, 0.5) }, trainedLength: 1 << 18),
            ], metric: "score")),
            ("curves, long metric", CurvesFigure.figure(Array(many.prefix(2)),
                                                        metric: "substring_exact_match_after_normalisation_of_answers")),
        ]
    }

    static func texts(_ figure: ReportFigure) -> [ReportFigure.Text] {
        figure.elements.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    /// Filled shapes a label must not sit on: cells, the colour bar, the curves' plot frame.
    static func obstacles(_ figure: ReportFigure) -> [(String, ReportBox)] {
        figure.elements.compactMap { element in
            switch element {
            case .rect(let rect):
                (rect.cssClass ?? "rect", ReportBox(x0: rect.x, y0: rect.y, x1: rect.x + rect.width, y1: rect.y + rect.height))
            case .colorRamp(let ramp):
                ("colorbar", ReportBox(x0: ramp.x, y0: ramp.y, x1: ramp.x + ramp.width, y1: ramp.y + ramp.height))
            default: nil
            }
        }
    }

    /// Each label drawn alone lights exactly its glyphs' pixels, all inside its box: the box is where it draws.
    func testTextBoundsHoldEveryPixelTheFontDraws() {
        let samples = [ReportFigure.Text(text: "Depth Percent", x: 40.5, y: 90, scale: 2, vertical: true),
                       ReportFigure.Text(text: "gypsy, jq", x: 33, y: 20.5, scale: 2, anchor: .start),
                       ReportFigure.Text(text: "0.8", x: 60, y: 17, scale: 1, anchor: .end),
                       ReportFigure.Text(text: "Sévère — ×", x: 70, y: 30, scale: 3, anchor: .end, vertical: true)]
        let fromFigures = (Self.heatmaps.prefix(4) + Self.curves.prefix(2)).flatMap { Self.texts($0.1) }
        for text in samples + fromFigures {
            let box = text.bounds
            // Draw on a canvas just around the box so nothing is lost off its edge.
            let pad = 4.0, left = box.x0.rounded(.down) - pad, top = box.y0.rounded(.down) - pad
            var raster = ReportRaster(width: Int(box.x1 - left + pad), height: Int(box.y1 - top + pad))
            raster.text(text.text, x: text.x - left, y: text.y - top, scale: text.scale, anchor: text.anchor,
                        vertical: text.vertical, .black)
            let drawn = ReportBitmapFont.drawable(text.text)
            let expected = drawn.map { ReportBitmapFont.pixels(of: $0).count }.reduce(0, +) * text.scale * text.scale
            var lit = 0
            for y in 0..<raster.height {
                for x in 0..<raster.width where raster.color(x: x, y: y) == .black {
                    lit += 1
                    let inside = Double(x) + left >= box.x0.rounded(.down) && Double(x) + left < box.x1.rounded(.up)
                        && Double(y) + top >= box.y0.rounded(.down) && Double(y) + top < box.y1.rounded(.up)
                    if !inside { XCTFail("\(text.text): pixel \(x + Int(left)),\(y + Int(top)) outside \(box)"); break }
                }
            }
            XCTAssertEqual(lit, expected, "\(text.text): every glyph pixel drawn once")
        }
        // Metrics, not just consistency: "AB" at scale 2 is 2 x 6 x 2 - 2 wide and 8 x 2 tall, capitals centred on y.
        XCTAssertEqual(ReportFigure.Text(text: "AB", x: 10, y: 20, scale: 2, anchor: .start).bounds,
                       ReportBox(x0: 10, y0: 13, x1: 32, y1: 29))
        XCTAssertEqual(ReportFigure.Text(text: "AB", x: 10, y: 20, scale: 2, vertical: true).bounds,
                       ReportBox(x0: 3, y0: 9, x1: 19, y1: 31))
    }

    func testHeatmapLabelsNeitherOverlapNorLeaveTheCanvas() {
        for (name, figure) in Self.heatmaps { assertClearLayout(name, figure) }
    }

    func testCurvesLabelsNeitherOverlapNorLeaveTheCanvas() {
        for (name, figure) in Self.curves { assertClearLayout(name, figure) }
    }

    /// Fu's arrangement kept: the turned "Depth Percent" left of every depth tick and centred on the grid, the
    /// colour bar as tall as the grid with its ticks evenly spread, the title lines above everything else.
    func testHeatmapAxisLabelsSitBesideTheGrid() throws {
        for (lengths, depths) in Self.grids {
            let figure = HeatmapFigure.single(Self.panel(lengths: lengths, depths: depths))
            let name = "\(lengths)x\(depths)"
            let texts = Self.texts(figure)
            let cells = Self.obstacles(figure).filter { $0.0.hasPrefix("cell") }.map(\.1)
            XCTAssertEqual(cells.count, lengths * depths, name)
            let gridTop = cells.map(\.y0).min()!, gridBottom = cells.map(\.y1).max()!
            let gridLeft = cells.map(\.x0).min()!
            XCTAssertGreaterThanOrEqual(gridBottom - gridTop, HeatmapFigure.minimumGridHeight, name)

            let yLabel = try XCTUnwrap(texts.first { $0.text == HeatmapFigure.yLabel }).bounds
            let depthTicks = texts.filter { $0.cssClass == "tick" && $0.anchor == .end }.map(\.bounds)
            XCTAssertEqual(depthTicks.count, depths, name)
            XCTAssertLessThan(yLabel.x1, depthTicks.map(\.x0).min()!, name)
            XCTAssertLessThanOrEqual(depthTicks.map(\.x1).max()!, gridLeft, name)
            XCTAssertEqual((yLabel.y0 + yLabel.y1) / 2, (gridTop + gridBottom) / 2, accuracy: 0.5, name)
            XCTAssertGreaterThanOrEqual(yLabel.y0, gridTop, name)
            XCTAssertLessThanOrEqual(yLabel.y1, gridBottom, name)

            let titles = texts.filter { $0.cssClass == "title" }.map(\.bounds)
            XCTAssertEqual(titles.count, 2, name)
            let everythingElse = texts.filter { $0.cssClass != "title" }.map(\.bounds)
            XCTAssertLessThan(titles.map(\.y1).max()!, everythingElse.map(\.y0).min()!, name)

            let ramp = try XCTUnwrap(Self.obstacles(figure).first { $0.0 == "colorbar" }?.1)
            XCTAssertEqual([ramp.y0, ramp.y1], [gridTop, gridBottom], name)
            let colorbarTicks = texts.filter { $0.cssClass == "tick" && $0.anchor == .start }.map(\.y).sorted()
            XCTAssertEqual(colorbarTicks.count, 6, name)
            let spacing = zip(colorbarTicks.dropFirst(), colorbarTicks).map { $0 - $1 }
            XCTAssertEqual(spacing.max()! - spacing.min()!, 0, accuracy: 1e-9, name)
            XCTAssertGreaterThan(spacing.min()!, ReportFigure.lineHeight(scale: HeatmapFigure.textScale), name)
        }
    }

    /// Every label box inside the canvas, at least 2 pixels from every other label, and off every filled shape.
    func assertClearLayout(_ name: String, _ figure: ReportFigure, file: StaticString = #filePath, line: UInt = #line) {
        let canvas = ReportBox(x0: 0, y0: 0, x1: Double(figure.width), y1: Double(figure.height))
        let texts = Self.texts(figure)
        XCTAssertFalse(texts.isEmpty, name, file: file, line: line)
        let boxes = texts.map(\.bounds)
        for (index, box) in boxes.enumerated() {
            XCTAssertTrue(canvas.contains(box), "\(name): \"\(texts[index].text)\" \(box) leaves the \(figure.width)x\(figure.height) canvas",
                          file: file, line: line)
            for other in boxes.indices where other > index && box.overlaps(boxes[other], gap: 2) {
                XCTFail("\(name): \"\(texts[index].text)\" \(box) touches \"\(texts[other].text)\" \(boxes[other])",
                        file: file, line: line)
            }
            for (shape, area) in Self.obstacles(figure) where box.overlaps(area) {
                XCTFail("\(name): \"\(texts[index].text)\" \(box) lies on a \(shape) \(area)", file: file, line: line)
            }
        }
    }
}
