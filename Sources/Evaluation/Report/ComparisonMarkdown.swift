/// comparison.md: the runs compared, then one table per metric and one per sub-task (its main metric), each with
/// a row per context length plus the overall mean and a column per run.
enum ComparisonMarkdown {
    static func render(runs: [LoadedEvalRun], summaries: [EvalSummary], labels: [String]) -> String {
        var text = "# Comparison\n\n"
        text += ReportFormatting.markdownTable(
            header: ["run", "task", "target", "trained length", "samples"],
            rows: runs.indices.map { index in
                let info = runs[index].info
                return [labels[index], info.task, info.target, info.trainedLength.map(String.init) ?? "–",
                        String(summaries[index].count)]
            },
            rightAligned: [3, 4])
        for note in runs.flatMap(\.notes) { text += "\n> Note: \(note)\n" }

        let lengths = Set(summaries.flatMap(\.lengths)).sorted()
        let metrics = EvalSummary.orderedMetrics(Set(summaries.flatMap(\.metrics)))
        for metric in metrics {
            text += "\n## \(metric)\n\n"
            text += table(lengths: lengths, labels: labels,
                          value: { summaries[$0].mean(metric, contextLength: $1) },
                          overall: { summaries[$0].means[metric] })
        }

        let subTaskNames = Set(summaries.flatMap { $0.subTasks.map(\.name) }).sorted()
        let mainMetric = metrics.first ?? EvalSummary.mainMetric
        for name in subTaskNames {
            let subTasks = summaries.map { summary in summary.subTasks.first { $0.name == name } }
            text += "\n## \(name) (\(mainMetric))\n\n"
            text += table(lengths: lengths, labels: labels,
                          value: { run, length in
                              subTasks[run]?.byLength.first { $0.contextLength == length }?.means[mainMetric]
                          },
                          overall: { subTasks[$0]?.means[mainMetric] })
        }
        return text
    }

    /// Rows: each length and "overall"; columns: the runs. Lengths no run scored on are left out.
    static func table(lengths: [Int], labels: [String], value: (Int, Int) -> Double?, overall: (Int) -> Double?) -> String {
        var rows: [[String]] = []
        for length in lengths {
            let values = labels.indices.map { value($0, length) }
            guard values.contains(where: { $0 != nil }) else { continue }
            rows.append([String(length)] + values.map(ReportFormatting.score))
        }
        rows.append(["overall"] + labels.indices.map { ReportFormatting.score(overall($0)) })
        return ReportFormatting.markdownTable(header: ["length"] + labels, rows: rows)
    }
}
