import Foundation

/// Score against context length for several runs: one line per run (matplotlib's tab10 colours), a legend with
/// the labels, and a dashed vertical line at the trained length: one grey line when every run shares it, else one
/// per run in the run's colour. The x axis is logarithmic (lengths usually double) and ticked at the lengths run.
struct CurveSeries: Sendable {
    var label: String
    /// (context length, mean score), sorted by length.
    var points: [(Int, Double)]
    var trainedLength: Int?

    init(label: String, points: [(Int, Double)], trainedLength: Int?) {
        self.label = label
        self.points = points.sorted { $0.0 < $1.0 }
        self.trainedLength = trainedLength
    }

    init?(summary: EvalSummary, label: String, metric: String) {
        let points = summary.byLength.compactMap { row in row.means[metric].map { (row.contextLength, $0) } }
        guard !points.isEmpty else { return nil }
        self.init(label: label, points: points, trainedLength: summary.trainedLength)
    }
}

enum CurvesFigure {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"].compactMap(ReportColor.init(hex:))
    static let textScale = 2
    static let margin = 16.0
    static let minimumPlotHeight = 320.0
    static var textHeight: Double { ReportFigure.textHeight(scale: textScale) }

    static func color(_ index: Int) -> ReportColor { palette[index % palette.count] }

    static func figure(_ series: [CurveSeries], metric: String) -> ReportFigure {
        let lengths = Set(series.flatMap { $0.points.map(\.0) }).sorted()
        let trained = series.compactMap(\.trainedLength)
        let sharedTrained: Int? = trained.count == series.count && Set(trained).count == 1 ? trained.first : nil
        let domain = (lengths + trained).filter { $0 > 0 }
        let low = log2(Double(domain.min() ?? 1)), high = log2(Double(domain.max() ?? 2))
        let maxValue = series.flatMap { $0.points.map(\.1) }.max() ?? 1
        let top = max(1, (maxValue * 5).rounded(.up) / 5)

        let metricLabel = metric.prefix(1).uppercased() + metric.dropFirst()
        let title = metricLabel + " by context length"
        let titleWidth = ReportFigure.textWidth(title, scale: textScale)
        // The turned y label fits along the plot.
        let plotHeight = max(minimumPlotHeight, ReportFigure.textWidth(metricLabel, scale: textScale) + 16)
        let plotLeft = margin + textHeight + 12 + ReportFigure.textWidth(String(format: "%.1f", top), scale: textScale) + 10
        let plotTop = margin + textHeight + 2 * 8
        let plotWidth = max(480, 90 * Double(lengths.count))
        let legend = legendEntries(series, sharedTrained: sharedTrained)
        let legendWidth = (legend.map { ReportFigure.textWidth($0.text, scale: textScale) }.max() ?? 0) + 44
        let legendLeft = plotLeft + plotWidth + 24
        let width = max(legendLeft + legendWidth + margin, titleWidth + 2 * margin)
        let lineHeight = ReportFigure.lineHeight(scale: textScale)
        let height = max(plotTop + plotHeight + 6 + textHeight + 14 + lineHeight + margin,
                         plotTop + Double(legend.count) * 22 + margin)
        var figure = ReportFigure(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)),
                                  title: title + " — " + series.map(\.label).joined(separator: ", "))

        // Inset the outermost lengths so their tick labels stay within the plot's width, clear of the y ticks.
        let widestLengthLabel = lengths.map { ReportFigure.textWidth(String($0), scale: textScale) }.max() ?? 0
        let pad = max(24, (widestLengthLabel / 2).rounded(.up) + 2)
        func x(_ length: Int) -> Double {
            high > low ? plotLeft + pad + (log2(Double(max(length, 1))) - low) / (high - low) * (plotWidth - 2 * pad)
                : plotLeft + plotWidth / 2
        }
        func y(_ value: Double) -> Double { plotTop + plotHeight * (1 - min(max(value, 0), top) / top) }

        // Centred on the plot unless that would push it off either edge.
        let titleX = min(max(plotLeft + plotWidth / 2, margin + titleWidth / 2), width - margin - titleWidth / 2)
        figure.add(.text(.init(text: title, x: titleX, y: margin + textHeight / 2, scale: textScale, cssClass: "title")))
        // Horizontal grid and y ticks every fifth of the range.
        for step in 0...5 {
            let value = top * Double(step) / 5, tickY = y(value)
            figure.add(.line(.init(points: [(plotLeft, tickY), (plotLeft + plotWidth, tickY)], color: .lightGrey, width: 1)))
            figure.add(.text(.init(text: String(format: "%.1f", value), x: plotLeft - 8, y: tickY, scale: textScale,
                                   anchor: .end, cssClass: "tick")))
        }
        // Length ticks, skipping a label that would overlap the previous one.
        var lastLabelEnd = -Double.infinity
        for length in lengths {
            let tickX = x(length), label = String(length)
            let plotBottom = plotTop + plotHeight
            figure.add(.line(.init(points: [(tickX, plotBottom), (tickX, plotBottom + 5)], color: .ink, width: 1)))
            let half = ReportFigure.textWidth(label, scale: textScale) / 2
            guard tickX - half > lastLabelEnd + 6 else { continue }
            lastLabelEnd = tickX + half
            figure.add(.text(.init(text: label, x: tickX, y: plotTop + plotHeight + 6 + textHeight / 2 + 2,
                                   scale: textScale, cssClass: "tick")))
        }
        figure.add(.rect(.init(x: plotLeft, y: plotTop, width: plotWidth, height: plotHeight, fill: nil, stroke: .ink)))
        figure.add(.text(.init(text: "Context length (tokens)", x: plotLeft + plotWidth / 2,
                               y: plotTop + plotHeight + 6 + textHeight + 14 + textHeight / 2, scale: textScale,
                               cssClass: "axis-label")))
        figure.add(.text(.init(text: metricLabel, x: margin + textHeight / 2,
                               y: plotTop + plotHeight / 2, scale: textScale, vertical: true, cssClass: "axis-label")))

        let trainedLines: [(Int, ReportColor)] = sharedTrained.map { [($0, ReportColor.grey)] }
            ?? series.enumerated().compactMap { index, run in run.trainedLength.map { ($0, color(index)) } }
        for (length, lineColor) in trainedLines {
            figure.add(.line(.init(points: [(x(length), plotTop), (x(length), plotTop + plotHeight)], color: lineColor,
                                   width: 2, dash: (8, 5), cssClass: "trained-length")))
        }
        for (index, run) in series.enumerated() {
            let points = run.points.map { (x($0.0), y($0.1)) }
            figure.add(.line(.init(points: points, color: color(index), width: 2.5, cssClass: "curve")))
            for point in points { figure.add(.circle(.init(x: point.0, y: point.1, radius: 4, fill: color(index)))) }
        }
        for (row, entry) in legend.enumerated() {
            let entryY = plotTop + 11 + Double(row) * 22
            figure.add(.line(.init(points: [(legendLeft, entryY), (legendLeft + 28, entryY)], color: entry.color,
                                   width: entry.dashed ? 2 : 2.5, dash: entry.dashed ? (8, 5) : nil)))
            if !entry.dashed { figure.add(.circle(.init(x: legendLeft + 14, y: entryY, radius: 4, fill: entry.color))) }
            figure.add(.text(.init(text: entry.text, x: legendLeft + 36, y: entryY, scale: textScale, anchor: .start,
                                   cssClass: "legend")))
        }
        return figure
    }

    struct LegendEntry {
        var text: String
        var color: ReportColor
        var dashed: Bool
    }

    static func legendEntries(_ series: [CurveSeries], sharedTrained: Int?) -> [LegendEntry] {
        var entries = series.enumerated().map { LegendEntry(text: $1.label, color: color($0), dashed: false) }
        if let sharedTrained {
            entries.append(LegendEntry(text: "trained length \(sharedTrained)", color: .grey, dashed: true))
        } else {
            for (index, run) in series.enumerated() {
                if let trained = run.trainedLength {
                    entries.append(LegendEntry(text: "\(run.label): trained \(trained)", color: color(index), dashed: true))
                }
            }
        }
        return entries
    }
}
