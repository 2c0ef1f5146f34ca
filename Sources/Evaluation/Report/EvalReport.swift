import Foundation

/// The paths a report wrote (absent outputs stay nil or empty).
public struct ReportFiles: Codable, Sendable, Equatable {
    public var summaryJSON: String?
    public var summaryMarkdown: String?
    public var comparisonMarkdown: String?
    /// One SVG and one PNG per run with depths, in run order.
    public var heatmapSVGs: [String] = []
    public var heatmapPNGs: [String] = []
    /// All heatmaps side by side with one colour bar (comparisons of two or more runs with depths).
    public var combinedHeatmapSVG: String?
    public var combinedHeatmapPNG: String?
    public var curvesSVG: String?
    public var curvesPNG: String?
    /// What the readers skipped, e.g. a truncated last line of a killed run.
    public var notes: [String] = []

    public init() {}

    public var all: [String] {
        [summaryJSON, summaryMarkdown, comparisonMarkdown].compactMap { $0 } + heatmapSVGs + heatmapPNGs
            + [combinedHeatmapSVG, combinedHeatmapPNG, curvesSVG, curvesPNG].compactMap { $0 }
    }
}

/// `longctx eval` reports: one run's summary and heatmap, or several runs compared side by side.
public enum EvalReport {
    /// Writes summary.json, summary.md and, when samples have depths, heatmap.svg and heatmap.png into the run
    /// directory.
    @discardableResult
    public static func write(runDirectory: String) throws -> ReportFiles {
        let run = try LoadedEvalRun(runDirectory: runDirectory)
        let summary = EvalSummary(run: run)
        var files = ReportFiles()
        files.notes = run.notes
        let directory = runDirectory as NSString
        files.summaryJSON = directory.appendingPathComponent("summary.json")
        try ReportFormatting.write(try encodeJSON(summary), to: files.summaryJSON!)
        files.summaryMarkdown = directory.appendingPathComponent("summary.md")
        try ReportFormatting.write(summary.markdown, to: files.summaryMarkdown!)
        if let panel = HeatmapPanel(summary: summary) {
            let paths = try HeatmapFigure.single(panel).write(basePath: directory.appendingPathComponent("heatmap"))
            files.heatmapSVGs = [paths.svg]
            files.heatmapPNGs = [paths.png]
        }
        return files
    }

    /// Writes comparison.md (a table per metric and per sub-task: rows the lengths and the overall mean, columns
    /// the runs), a heatmap per run with depths plus all of them side by side, and the score-by-length curves.
    @discardableResult
    public static func compare(runDirectories: [String], outputDirectory: String) throws -> ReportFiles {
        guard !runDirectories.isEmpty else { throw EvalReportError("compare: no run directories given") }
        let runs = try runDirectories.map { try LoadedEvalRun(runDirectory: $0) }
        let summaries = runs.map(EvalSummary.init(run:))
        let labels = columnLabels(runs)
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw EvalReportError("\(outputDirectory): cannot create the report directory: \(error.localizedDescription)")
        }
        let output = outputDirectory as NSString
        var files = ReportFiles()
        files.notes = runs.flatMap(\.notes)

        files.comparisonMarkdown = output.appendingPathComponent("comparison.md")
        try ReportFormatting.write(ComparisonMarkdown.render(runs: runs, summaries: summaries, labels: labels),
                                   to: files.comparisonMarkdown!)

        var panels: [HeatmapPanel] = []
        for (index, summary) in summaries.enumerated() {
            guard var panel = HeatmapPanel(summary: summary) else { continue }
            panel.label = labels[index]
            panels.append(panel)
            let base = output.appendingPathComponent("heatmap-\(index + 1)-\(ReportFormatting.slug(labels[index]))")
            let paths = try HeatmapFigure.single(panel).write(basePath: base)
            files.heatmapSVGs.append(paths.svg)
            files.heatmapPNGs.append(paths.png)
        }
        if panels.count >= 2 {
            let paths = try HeatmapFigure.combined(panels).write(basePath: output.appendingPathComponent("heatmaps"))
            files.combinedHeatmapSVG = paths.svg
            files.combinedHeatmapPNG = paths.png
        }

        let metrics = EvalSummary.orderedMetrics(Set(summaries.flatMap(\.metrics)))
        if let metric = metrics.first {
            let series = summaries.indices.compactMap {
                CurveSeries(summary: summaries[$0], label: labels[$0], metric: metric)
            }
            if !series.isEmpty {
                let figure = CurvesFigure.figure(series, metric: metric)
                let paths = try figure.write(basePath: output.appendingPathComponent("curves"))
                files.curvesSVG = paths.svg
                files.curvesPNG = paths.png
            }
        }
        return files
    }

    /// Run labels for columns and legends: the run's label, its directory name when it has none, and the
    /// directory name added where two runs share a label.
    static func columnLabels(_ runs: [LoadedEvalRun]) -> [String] {
        let base = runs.map { run in
            run.info.label.isEmpty ? (run.directory as NSString).lastPathComponent : run.info.label
        }
        return runs.indices.map { index in
            let label = base[index]
            guard base.filter({ $0 == label }).count > 1 else { return label }
            let name = ((runs[index].directory as NSString).standardizingPath as NSString).lastPathComponent
            return "\(label) (\(name.isEmpty ? String(index + 1) : name))"
        }
    }

    static func encodeJSON(_ summary: EvalSummary) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(summary)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
