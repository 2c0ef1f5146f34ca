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

enum HeatmapFigure {
    static let textScale = 2
    static let subtitle = "Fact Retrieval Across Context Lengths (\"Needle In A HayStack\")"
    static let cellHeight = 30.0
    static let minimumCellWidth = 64.0
    static let margin = 16.0
    static let lineGap = 8.0
    static var textHeight: Double { ReportFigure.textHeight(scale: textScale) }

    /// One run: Fu's two-line title with the run's label and average score, the grid and its colour bar.
    static func single(_ panel: HeatmapPanel) -> ReportFigure {
        let titles = ["Pressure Testing \(panel.label) - average \(panel.metric) \(ReportFormatting.score(panel.average))",
                      subtitle]
        let gridTop = margin + Double(titles.count) * (textHeight + lineGap) + lineGap
        let size = panelSize(panel)
        let gridHeight = Double(panel.depths.count) * cellHeight
        let colorbarX = margin + size.gridLeft + size.gridWidth + 24
        let width = max(colorbarX + colorbarWidth, titleWidth(titles) + 2 * margin)
        let height = gridTop + gridHeight + size.below + margin
        var figure = ReportFigure(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)),
                                  title: "\(titles[0]) — \(titles[1])")
        addTitles(titles, centre: width / 2, to: &figure)
        draw(panel, left: margin, gridTop: gridTop, into: &figure)
        addColorbar(x: colorbarX, y: gridTop, height: gridHeight, to: &figure)
        return figure
    }

    /// Several runs side by side, each panel titled with its label and average, sharing one colour bar.
    static func combined(_ panels: [HeatmapPanel]) -> ReportFigure {
        let titles = [subtitle]
        let gridTop = margin + Double(titles.count + 1) * (textHeight + lineGap) + lineGap
        var left = margin
        var lefts: [Double] = []
        var widths: [Double] = []
        for panel in panels {
            let size = panelSize(panel)
            let title = panelTitle(panel)
            let panelWidth = max(size.gridLeft + size.gridWidth, ReportFigure.textWidth(title, scale: textScale))
            lefts.append(left)
            widths.append(panelWidth)
            left += panelWidth + 3 * margin
        }
        let gridHeights = panels.map { Double($0.depths.count) * cellHeight }
        let below = panels.map { panelSize($0).below }.max() ?? 0
        let colorbarX = left - margin
        let width = max(colorbarX + colorbarWidth, titleWidth(titles) + 2 * margin)
        let height = gridTop + (gridHeights.max() ?? 0) + below + margin
        var figure = ReportFigure(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)),
                                  title: titles[0] + " — " + panels.map(\.label).joined(separator: ", "))
        addTitles(titles, centre: width / 2, to: &figure)
        for (index, panel) in panels.enumerated() {
            figure.add(.text(.init(text: panelTitle(panel), x: lefts[index] + widths[index] / 2,
                                   y: gridTop - lineGap - textHeight / 2 - 4, scale: textScale, cssClass: "panel-title")))
            draw(panel, left: lefts[index], gridTop: gridTop, into: &figure)
        }
        addColorbar(x: colorbarX, y: gridTop, height: gridHeights.max() ?? cellHeight, to: &figure)
        return figure
    }

    static func panelTitle(_ panel: HeatmapPanel) -> String {
        "\(panel.label) - average \(panel.metric) \(ReportFormatting.score(panel.average))"
    }

    struct PanelSize {
        /// From the panel's left edge to the grid's left edge (y axis label and depth ticks).
        var gridLeft: Double
        var gridWidth: Double
        var cellWidth: Double
        /// Below the grid: length ticks and the x axis label.
        var below: Double
    }

    static func panelSize(_ panel: HeatmapPanel) -> PanelSize {
        let depthLabelWidth = panel.depths.map {
            ReportFigure.textWidth(ReportFormatting.depth($0), scale: textScale)
        }.max() ?? 0
        let lengthLabelWidth = panel.lengths.map { ReportFigure.textWidth(String($0), scale: textScale) }.max() ?? 0
        let cellWidth = max(minimumCellWidth, (lengthLabelWidth + 12).rounded(.up))
        return PanelSize(gridLeft: textHeight + 12 + depthLabelWidth + 10,
                         gridWidth: Double(panel.lengths.count) * cellWidth, cellWidth: cellWidth,
                         below: 6 + textHeight + 14 + textHeight)
    }

    /// The grid, its ticks and axis labels, and the trained-length line, with the panel's left edge at `left`.
    static func draw(_ panel: HeatmapPanel, left: Double, gridTop: Double, into figure: inout ReportFigure) {
        let colormap = ScoreColormap.fu
        let size = panelSize(panel)
        let gridLeft = left + size.gridLeft
        let gridHeight = Double(panel.depths.count) * cellHeight
        for (row, depth) in panel.depths.enumerated() {
            for (column, length) in panel.lengths.enumerated() {
                let value = panel.values[row][column]
                var data = [("length", String(length)), ("depth", ReportFormatting.depth(depth))]
                if let value { data.append(("score", String(value))) }
                figure.add(.rect(.init(x: gridLeft + Double(column) * size.cellWidth, y: gridTop + Double(row) * cellHeight,
                                       width: size.cellWidth, height: cellHeight,
                                       fill: value.map(colormap.color) ?? .white, stroke: .grey,
                                       cssClass: value == nil ? "cell missing" : "cell", data: data)))
            }
        }
        for (row, depth) in panel.depths.enumerated() {
            let y = gridTop + (Double(row) + 0.5) * cellHeight
            figure.add(.line(.init(points: [(gridLeft - 5, y), (gridLeft, y)], color: .ink, width: 1)))
            figure.add(.text(.init(text: ReportFormatting.depth(depth), x: gridLeft - 8, y: y, scale: textScale,
                                   anchor: .end, cssClass: "tick")))
        }
        let gridBottom = gridTop + gridHeight
        for (column, length) in panel.lengths.enumerated() {
            let x = gridLeft + (Double(column) + 0.5) * size.cellWidth
            figure.add(.line(.init(points: [(x, gridBottom), (x, gridBottom + 5)], color: .ink, width: 1)))
            figure.add(.text(.init(text: String(length), x: x, y: gridBottom + 6 + textHeight / 2 + 2, scale: textScale,
                                   cssClass: "tick")))
        }
        figure.add(.text(.init(text: "Token Limit", x: gridLeft + size.gridWidth / 2,
                               y: gridBottom + 6 + textHeight + 14 + textHeight / 2, scale: textScale,
                               cssClass: "axis-label")))
        figure.add(.text(.init(text: "Depth Percent", x: left + textHeight / 2, y: gridTop + gridHeight / 2,
                               scale: textScale, vertical: true, cssClass: "axis-label")))
        if let boundary = panel.trainedBoundary {
            let x = gridLeft + Double(boundary) * size.cellWidth
            figure.add(.line(.init(points: [(x, gridTop), (x, gridBottom)], color: .white, width: 4, dash: (12, 6),
                                   cssClass: "trained-length")))
        }
    }

    static let colorbarWidth = 20.0 + 8 + 3 * 12 + 14 + 14 + margin

    /// The colour bar: 0 at the bottom, 1 at the top, ticks every 0.2 like matplotlib's, labelled "Score".
    static func addColorbar(x: Double, y: Double, height: Double, to figure: inout ReportFigure) {
        figure.add(.colorRamp(.init(x: x, y: y, width: 20, height: height, colormap: .fu)))
        figure.add(.rect(.init(x: x, y: y, width: 20, height: height, fill: nil, stroke: .ink)))
        for step in 0...5 {
            let value = Double(step) / 5
            let tickY = y + height * (1 - value)
            figure.add(.line(.init(points: [(x + 20, tickY), (x + 24, tickY)], color: .ink, width: 1)))
            figure.add(.text(.init(text: String(format: "%.1f", value), x: x + 28, y: tickY, scale: textScale,
                                   anchor: .start, cssClass: "tick")))
        }
        figure.add(.text(.init(text: "Score", x: x + 28 + 3 * 12 + 14 + textHeight / 2, y: y + height / 2, scale: textScale,
                               vertical: true, cssClass: "axis-label")))
    }

    static func addTitles(_ titles: [String], centre: Double, to figure: inout ReportFigure) {
        for (index, title) in titles.enumerated() {
            let y = margin + Double(index) * (textHeight + lineGap) + textHeight / 2
            figure.add(.text(.init(text: title, x: centre, y: y, scale: textScale, cssClass: "title")))
        }
    }

    static func titleWidth(_ titles: [String]) -> Double {
        titles.map { ReportFigure.textWidth($0, scale: textScale) }.max() ?? 0
    }
}
