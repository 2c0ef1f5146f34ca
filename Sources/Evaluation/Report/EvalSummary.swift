import Foundation

/// What a run scored: overall means of every metric, per context length, per (length, depth) cell where samples
/// have a depth, and per sub-task (RULER's 13 tasks) where a run mixes several. Written as `summary.json`.
public struct EvalSummary: Codable, Sendable, Equatable {
    /// Means of a group of records: metric -> mean over the records of the group that have that metric.
    public struct Group: Codable, Sendable, Equatable {
        public var count: Int
        public var means: [String: Double]
        public init(count: Int, means: [String: Double]) {
            self.count = count
            self.means = means
        }
    }

    public struct LengthRow: Codable, Sendable, Equatable {
        public var contextLength: Int
        public var count: Int
        public var means: [String: Double]
    }

    public struct Cell: Codable, Sendable, Equatable {
        public var contextLength: Int
        /// Needle depth in percent.
        public var depth: Double
        public var count: Int
        public var means: [String: Double]
    }

    public struct SubTask: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int
        public var means: [String: Double]
        public var byLength: [LengthRow]
    }

    /// The metric every task reports (EvalScores' convention); the heatmap and curves plot it.
    public static let mainMetric = "score"

    public var label: String
    public var task: String
    public var trainedLength: Int?
    public var count: Int
    /// Every metric seen, the main one first, then by name.
    public var metrics: [String]
    public var means: [String: Double]
    /// Sorted by length.
    public var byLength: [LengthRow]
    /// Sorted by length then depth; empty when no record has a depth.
    public var cells: [Cell]
    /// Sorted by name; empty when every record belongs to the same sub-task.
    public var subTasks: [SubTask]
    /// What the reader skipped (a truncated last line) and anything else a reader of the numbers should know.
    public var notes: [String]

    public init(records: [EvalRecord], info: EvalRunInfo? = nil, notes: [String] = []) {
        label = info?.label ?? ""
        task = info?.task ?? Set(records.map(\.task)).sorted().joined(separator: ",")
        trainedLength = info?.trainedLength
        count = records.count
        let overall = Self.group(records)
        means = overall.means
        metrics = Self.orderedMetrics(overall.means.keys)
        byLength = Self.byLength(records)
        let withDepth = records.filter { $0.depth != nil }
        cells = Dictionary(grouping: withDepth) { CellKey(length: $0.contextLength, depth: $0.depth!) }
            .map { key, members in
                let group = Self.group(members)
                return Cell(contextLength: key.length, depth: key.depth, count: group.count, means: group.means)
            }
            .sorted { ($0.contextLength, $0.depth) < ($1.contextLength, $1.depth) }
        let bySubTask = Dictionary(grouping: records, by: Self.subTaskName)
        subTasks = bySubTask.count < 2 ? [] : bySubTask.map { name, members in
            let group = Self.group(members)
            return SubTask(name: name, count: group.count, means: group.means, byLength: Self.byLength(members))
        }.sorted { $0.name < $1.name }
        self.notes = notes
    }

    /// A record's sub-task: its task (e.g. "ruler/niah_multikey_2"), refined by `fields["kind"]` where a task
    /// tags kinds of samples itself.
    public static func subTaskName(_ record: EvalRecord) -> String {
        record.fields["kind"].map { "\(record.task)/\($0)" } ?? record.task
    }

    /// Mean of `metric` at one context length, nil when the run has no such length or metric there.
    public func mean(_ metric: String = EvalSummary.mainMetric, contextLength: Int) -> Double? {
        byLength.first { $0.contextLength == contextLength }?.means[metric]
    }

    /// The metric plots use: `score` when the run has it, else the first metric.
    public var plottedMetric: String? {
        metrics.contains(Self.mainMetric) ? Self.mainMetric : metrics.first
    }

    public var lengths: [Int] { byLength.map(\.contextLength) }
    public var depths: [Double] { Set(cells.map(\.depth)).sorted() }

    private struct CellKey: Hashable {
        var length: Int
        var depth: Double
    }

    static func group(_ records: [EvalRecord]) -> Group {
        var sums: [String: Double] = [:]
        var counts: [String: Int] = [:]
        for record in records {
            for (metric, value) in record.scores {
                sums[metric, default: 0] += value
                counts[metric, default: 0] += 1
            }
        }
        var means: [String: Double] = [:]
        for (metric, sum) in sums { means[metric] = sum / Double(counts[metric]!) }
        return Group(count: records.count, means: means)
    }

    static func byLength(_ records: [EvalRecord]) -> [LengthRow] {
        Dictionary(grouping: records, by: \.contextLength).map { length, members in
            let group = group(members)
            return LengthRow(contextLength: length, count: group.count, means: group.means)
        }.sorted { $0.contextLength < $1.contextLength }
    }

    static func orderedMetrics(_ names: some Sequence<String>) -> [String] {
        names.sorted { lhs, rhs in
            if (lhs == mainMetric) != (rhs == mainMetric) { return lhs == mainMetric }
            return lhs < rhs
        }
    }
}

extension EvalSummary {
    /// Reads a run directory (see `LoadedEvalRun`); a truncated last line is skipped and reported on stderr.
    public static func load(runDirectory: String) throws -> (EvalRunInfo, [EvalRecord]) {
        let run = try LoadedEvalRun(runDirectory: runDirectory)
        for note in run.notes { FileHandle.standardError.write(Data("warning: \(note)\n".utf8)) }
        return (run.info, run.records)
    }

    public init(run: LoadedEvalRun) {
        self.init(records: run.records, info: run.info, notes: run.notes)
    }
}
