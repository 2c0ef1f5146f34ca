/// summary.md: one table with a row per context length (and the overall mean), columns the metrics and, for
/// runs mixing sub-tasks, each sub-task's main metric; then the (depth, length) grid where samples have depths.
extension EvalSummary {
    public var markdown: String {
        var text = "# \(label.isEmpty ? task : label)\n\n"
        text += "Task `\(task)`, \(count) samples"
        if let trainedLength { text += ", trained length \(trainedLength) tokens" }
        text += ".\n\n"
        for note in notes { text += "> Note: \(note)\n\n" }
        guard count > 0 else { return text + "No samples yet.\n" }

        let subTaskMetric = plottedMetric ?? Self.mainMetric
        var header = ["length", "samples"] + metrics
        header += subTasks.map { "\($0.name) (\(subTaskMetric))" }
        var rows: [[String]] = byLength.map { row in
            [String(row.contextLength), String(row.count)] + metrics.map { ReportFormatting.score(row.means[$0]) }
                + subTasks.map { sub in
                    let sameLength = sub.byLength.first { $0.contextLength == row.contextLength }
                    return ReportFormatting.score(sameLength?.means[subTaskMetric])
                }
        }
        rows.append(["overall", String(count)] + metrics.map { ReportFormatting.score(means[$0]) }
            + subTasks.map { ReportFormatting.score($0.means[subTaskMetric]) })
        text += ReportFormatting.markdownTable(header: header, rows: rows)

        if !cells.isEmpty, let metric = plottedMetric {
            text += "\n## \(metric) by depth (rows, percent) and length (columns)\n\n"
            let lengths = self.lengths.filter { length in cells.contains { $0.contextLength == length } }
            let depthRows = depths.map { depth in
                [ReportFormatting.depth(depth)] + lengths.map { length in
                    ReportFormatting.score(cells.first { $0.contextLength == length && $0.depth == depth }?.means[metric])
                }
            }
            text += ReportFormatting.markdownTable(header: ["depth"] + lengths.map(String.init), rows: depthRows)
        }
        return text
    }
}
