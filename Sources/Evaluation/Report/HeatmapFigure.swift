import Foundation

/// Fu et al.'s needle heatmap (eval/needle/visualize.py): columns are context lengths labelled with token counts,
/// rows are needle depths in percent (0 at the top), cells coloured by the mean score with ScoreColormap.fu over
/// [0, 1], grey cell borders, a colour bar labelled "Score", and a white dashed vertical line at the trained
/// length. Fu places that line at column index + 0.8; here it sits on the boundary between the last length
/// within the trained length and the first beyond it, and is left out when every length is within it.
struct HeatmapPanel: Sendable {
    var label: String
    var lengths: [Int]
    var depths: [Double]
    /// Mean score per [depth row][length column]; nil where the run has no sample.
    var values: [[Double?]]
    /// Mean over all samples (Fu's "Overall score"), not over cells.
    var average: Double?
    var trainedLength: Int?
    var metric: String

    /// The panel of a summary's (length, depth) cells; nil when no sample has a depth.
    init?(summary: EvalSummary) {
        guard !summary.cells.isEmpty, let metric = summary.plottedMetric else { return nil }
        self.metric = metric
        label = summary.label.isEmpty ? summary.task : summary.label
        depths = summary.depths
        lengths = Set(summary.cells.map(\.contextLength)).sorted()
        var grid = [[Double?]](repeating: [Double?](repeating: nil, count: lengths.count), count: depths.count)
        for cell in summary.cells {
            grid[depths.firstIndex(of: cell.depth)!][lengths.firstIndex(of: cell.contextLength)!] = cell.means[metric]
        }
        values = grid
        average = summary.means[metric]
        trainedLength = summary.trainedLength
    }

    /// Column boundary of the trained-length line: the number of lengths within it; nil when none lies beyond.
    var trainedBoundary: Int? {
        guard let trainedLength else { return nil }
        let within = lengths.filter { $0 <= trainedLength }.count
        return within < lengths.count ? within : nil
    }
}

/// Layout: everything is measured from the bitmap font so no label touches another, whatever the grid. Cells
/// grow to make the grid at least `minimumGridHeight` tall (room for the colour bar's six tick labels and for the
/// y label along the grid) and at least as wide as the x label; the y label sits left of the depth ticks, centred
/// on the grid; the figure widens for its title and centres its contents under it.
enum HeatmapFigure {
    static let textScale = 2
    static let subtitle = "Fact Retrieval Across Context Lengths (\"Needle In A HayStack\")"
    static let xLabel = "Token Limit"
    static let yLabel = "Depth Percent"
    static let colorbarLabel = "Score"
    static let minimumCellHeight = 30.0
    static let minimumCellWidth = 64.0
    static let margin = 16.0
    static let lineGap = 8.0
    /// Between the y label and the depth tick labels, and between those and the grid.
    static let labelGap = 12.0
    static let tickLabelGap = 8.0
    /// From the grid's right edge to the colour bar (one figure), or from the last panel (side by side).
    static let colorbarGap = 24.0
    static let panelGap = 3 * margin
    static var textHeight: Double { ReportFigure.textHeight(scale: textScale) }
    static var lineHeight: Double { ReportFigure.lineHeight(scale: textScale) }
    static func width(_ text: String) -> Double { ReportFigure.textWidth(text, scale: textScale) }

    /// Tall enough for the colour bar's six tick labels a line gap apart and for the y label along the grid.
    static var minimumGridHeight: Double {
        max(5 * (lineHeight + lineGap), width(yLabel) + 2 * lineGap)
    }

    /// One run: Fu's two-line title with the run's label and average score, the grid and its colour bar.
    static func single(_ panel: HeatmapPanel) -> ReportFigure {
        let titles = ["Pressure Testing \(panel.label) - average \(panel.metric) \(ReportFormatting.score(panel.average))",
                      subtitle]
        let gridTop = margin + Double(titles.count) * (textHeight + lineGap) + lineGap
        let size = panelSize(panel, title: nil)
        let contentWidth = size.width + colorbarGap + colorbarWidth
        let width = max(contentWidth, titleWidth(titles)) + 2 * margin
        let left = ((width - contentWidth) / 2).rounded(.down)
        let height = gridTop + size.gridHeight + below + margin
        var figure = ReportFigure(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)),
                                  title: "\(titles[0]) — \(titles[1])")
        addTitles(titles, centre: width / 2, to: &figure)
        draw(panel, size: size, left: left, gridTop: gridTop, into: &figure)
        addColorbar(x: left + size.width + colorbarGap, y: gridTop, height: size.gridHeight, to: &figure)
        return figure
    }

    /// Several runs side by side, each panel titled with its label and average, sharing one colour bar.
    static func combined(_ panels: [HeatmapPanel]) -> ReportFigure {
        let titles = [subtitle]
        let gridTop = margin + Double(titles.count + 1) * (textHeight + lineGap) + lineGap
        let sizes = panels.map { panelSize($0, title: panelTitle($0)) }
        var lefts: [Double] = []
        var contentWidth = 0.0
        for size in sizes {
            lefts.append(contentWidth)
            contentWidth += size.width + panelGap
        }
        contentWidth += colorbarGap - panelGap + colorbarWidth
        let width = max(contentWidth, titleWidth(titles)) + 2 * margin
        let offset = ((width - contentWidth) / 2).rounded(.down)
        let gridHeight = sizes.map(\.gridHeight).max() ?? minimumGridHeight
        let height = gridTop + gridHeight + below + margin
        var figure = ReportFigure(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)),
                                  title: titles[0] + " — " + panels.map(\.label).joined(separator: ", "))
        addTitles(titles, centre: width / 2, to: &figure)
        for (index, panel) in panels.enumerated() {
            let size = sizes[index], left = offset + lefts[index]
            figure.add(.text(.init(text: panelTitle(panel), x: left + size.gridLeft + size.gridWidth / 2,
                                   y: gridTop - lineGap - textHeight / 2 - 4, scale: textScale, cssClass: "panel-title")))
            draw(panel, size: size, left: left, gridTop: gridTop, into: &figure)
        }
        addColorbar(x: offset + contentWidth - colorbarWidth, y: gridTop, height: gridHeight, to: &figure)
        return figure
    }

    static func panelTitle(_ panel: HeatmapPanel) -> String {
        "\(panel.label) - average \(panel.metric) \(ReportFormatting.score(panel.average))"
    }

    struct PanelSize {
        /// From the panel's left edge to the grid's left edge (y axis label and depth ticks, or more when a
        /// title centred on the grid reaches further left).
        var gridLeft: Double
        /// From the y label's left edge to the grid's left edge.
        var axisWidth: Double
        var gridWidth: Double
        var gridHeight: Double
        var cellWidth: Double
        var cellHeight: Double
        /// From the panel's left edge to its right edge (the grid's, or a wider title's).
        var width: Double
    }

    /// Below the grid: length ticks and the x axis label.
    static var below: Double { 6 + textHeight + 14 + lineHeight }

    /// The panel's grid and margins; `title` is centred over the grid (side-by-side panels).
    static func panelSize(_ panel: HeatmapPanel, title: String?) -> PanelSize {
        let depthLabelWidth = panel.depths.map { width(ReportFormatting.depth($0)) }.max() ?? 0
        let lengthLabelWidth = panel.lengths.map { width(String($0)) }.max() ?? 0
        let columns = Double(max(1, panel.lengths.count)), rows = Double(max(1, panel.depths.count))
        // Length labels a gap apart, and the x label no wider than the grid.
        let cellWidth = max(minimumCellWidth, lengthLabelWidth + 12, ((width(xLabel) + 12) / columns).rounded(.up))
        let cellHeight = max(minimumCellHeight, (minimumGridHeight / rows).rounded(.up))
        let gridWidth = columns * cellWidth
        let axisWidth = lineHeight + labelGap + depthLabelWidth + tickLabelGap
        let titleOverhang = max(0, ((title.map(width) ?? 0) - gridWidth) / 2)
        let gridLeft = max(axisWidth, titleOverhang)
        return PanelSize(gridLeft: gridLeft, axisWidth: axisWidth, gridWidth: gridWidth, gridHeight: rows * cellHeight, cellWidth: cellWidth,
                         cellHeight: cellHeight, width: gridLeft + gridWidth + titleOverhang)
    }

    /// The grid, its ticks and axis labels, and the trained-length line, with the panel's left edge at `left`.
    static func draw(_ panel: HeatmapPanel, size: PanelSize, left: Double, gridTop: Double,
                     into figure: inout ReportFigure) {
        let colormap = ScoreColormap.fu
        let gridLeft = left + size.gridLeft
        let gridHeight = size.gridHeight
        for (row, depth) in panel.depths.enumerated() {
            for (column, length) in panel.lengths.enumerated() {
                let value = panel.values[row][column]
                var data = [("length", String(length)), ("depth", ReportFormatting.depth(depth))]
                if let value { data.append(("score", String(value))) }
                figure.add(.rect(.init(x: gridLeft + Double(column) * size.cellWidth,
                                       y: gridTop + Double(row) * size.cellHeight,
                                       width: size.cellWidth, height: size.cellHeight,
                                       fill: value.map(colormap.color) ?? .white, stroke: .grey,
                                       cssClass: value == nil ? "cell missing" : "cell", data: data)))
            }
        }
        for (row, depth) in panel.depths.enumerated() {
            let y = gridTop + (Double(row) + 0.5) * size.cellHeight
            figure.add(.line(.init(points: [(gridLeft - 5, y), (gridLeft, y)], color: .ink, width: 1)))
            figure.add(.text(.init(text: ReportFormatting.depth(depth), x: gridLeft - tickLabelGap, y: y,
                                   scale: textScale, anchor: .end, cssClass: "tick")))
        }
        let gridBottom = gridTop + gridHeight
        for (column, length) in panel.lengths.enumerated() {
            let x = gridLeft + (Double(column) + 0.5) * size.cellWidth
            figure.add(.line(.init(points: [(x, gridBottom), (x, gridBottom + 5)], color: .ink, width: 1)))
            figure.add(.text(.init(text: String(length), x: x, y: gridBottom + 6 + textHeight / 2 + 2, scale: textScale,
                                   cssClass: "tick")))
        }
        figure.add(.text(.init(text: xLabel, x: gridLeft + size.gridWidth / 2,
                               y: gridBottom + 6 + textHeight + 14 + textHeight / 2, scale: textScale,
                               cssClass: "axis-label")))
        // Left of the widest depth label; `x` is the capitals' centre, half a cap height right of the box's edge.
        figure.add(.text(.init(text: yLabel, x: gridLeft - size.axisWidth + textHeight / 2, y: gridTop + gridHeight / 2,
                               scale: textScale, vertical: true, cssClass: "axis-label")))
        if let boundary = panel.trainedBoundary {
            let x = gridLeft + Double(boundary) * size.cellWidth
            figure.add(.line(.init(points: [(x, gridTop), (x, gridBottom)], color: .white, width: 4, dash: (12, 6),
                                   cssClass: "trained-length")))
        }
    }

    static let rampWidth = 20.0
    static let colorbarTicks = (0...5).map { Double($0) / 5 }
    static func colorbarTickLabel(_ value: Double) -> String { String(format: "%.1f", value) }
    /// From the bar's left edge to the right edge of its turned "Score" label.
    static var colorbarWidth: Double {
        let tickLabelWidth = colorbarTicks.map { width(colorbarTickLabel($0)) }.max() ?? 0
        return rampWidth + 8 + tickLabelWidth + 14 + lineHeight
    }

    /// The colour bar: 0 at the bottom, 1 at the top, ticks every 0.2 like matplotlib's, labelled "Score".
    static func addColorbar(x: Double, y: Double, height: Double, to figure: inout ReportFigure) {
        figure.add(.colorRamp(.init(x: x, y: y, width: rampWidth, height: height, colormap: .fu)))
        figure.add(.rect(.init(x: x, y: y, width: rampWidth, height: height, fill: nil, stroke: .ink)))
        for value in colorbarTicks {
            let tickY = y + height * (1 - value)
            figure.add(.line(.init(points: [(x + rampWidth, tickY), (x + rampWidth + 4, tickY)], color: .ink, width: 1)))
            figure.add(.text(.init(text: colorbarTickLabel(value), x: x + rampWidth + 8, y: tickY, scale: textScale,
                                   anchor: .start, cssClass: "tick")))
        }
        figure.add(.text(.init(text: colorbarLabel, x: x + colorbarWidth - lineHeight + textHeight / 2, y: y + height / 2,
                               scale: textScale, vertical: true, cssClass: "axis-label")))
    }

    static func addTitles(_ titles: [String], centre: Double, to figure: inout ReportFigure) {
        for (index, title) in titles.enumerated() {
            let y = margin + Double(index) * (textHeight + lineGap) + textHeight / 2
            figure.add(.text(.init(text: title, x: centre, y: y, scale: textScale, cssClass: "title")))
        }
    }

    static func titleWidth(_ titles: [String]) -> Double {
        titles.map(width).max() ?? 0
    }
}
