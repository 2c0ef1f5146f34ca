/// Fu et al.'s needle heatmap colormap (Long-Context-Data-Engineering, eval/needle/visualize.py):
/// `LinearSegmentedColormap.from_list("custom_cmap", ["#F0496E", "#EBB839", "#0CD79F"])`, used with vmin=0,
/// vmax=1. It is reproduced step for step as matplotlib computes it: a 256-entry lookup table sampled from the
/// piecewise-linear segments, and a score picks entry floor(score * 256) (1.0 picks the last), so colours match
/// matplotlib's exactly rather than a smooth interpolation that differs in the last bit.
public struct ScoreColormap: Sendable {
    /// Fu et al.'s stops: red (0), amber (0.5), green (1).
    public static let fuStops = ["#F0496E", "#EBB839", "#0CD79F"]
    public static let fu = ScoreColormap(hexStops: fuStops)!

    /// Entries of the lookup table (matplotlib's default N).
    public let size: Int
    /// RGB in [0, 1] per entry.
    public let table: [(Double, Double, Double)]
    public let stops: [ReportColor]

    public init?(hexStops: [String], size: Int = 256) {
        let colors = hexStops.compactMap(ReportColor.init(hex:))
        guard colors.count == hexStops.count, colors.count >= 2, size >= 2 else { return nil }
        stops = colors
        self.size = size
        // matplotlib: to_rgba of a hex colour is byte / 255; stop positions are linspace(0, 1, count).
        let channels: [[Double]] = [
            colors.map { Double($0.red) / 255 }, colors.map { Double($0.green) / 255 }, colors.map { Double($0.blue) / 255 },
        ]
        let positions = Self.linspace(count: colors.count)
        let columns = channels.map { Self.lookupTable(size: size, positions: positions, values: $0) }
        table = (0..<size).map { (columns[0][$0], columns[1][$0], columns[2][$0]) }
    }

    /// RGB in [0, 1] of a score (values outside [0, 1] clamp to the ends, as with vmin/vmax).
    public func unitRGB(_ score: Double) -> (Double, Double, Double) {
        table[index(score)]
    }

    public func color(_ score: Double) -> ReportColor {
        let (red, green, blue) = unitRGB(score)
        return ReportColor(unitRed: red, green: green, blue: blue)
    }

    /// matplotlib's Colormap.__call__: x * N, x == N -> N - 1, truncate to an integer, clip.
    func index(_ score: Double) -> Int {
        guard score.isFinite else { return score > 0 ? size - 1 : 0 }
        var scaled = score * Double(size)
        if scaled == Double(size) { scaled = Double(size - 1) }
        if scaled < 0 { return 0 }
        if scaled >= Double(size) { return size - 1 }
        return Int(scaled)
    }

    /// numpy.linspace(0, 1, count): i * (1 / (count - 1)), the last exactly 1.
    static func linspace(count: Int) -> [Double] {
        let step = 1.0 / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? 1.0 : Double($0) * step }
    }

    /// matplotlib's `_create_lookup_table(N, data)` for a continuous mapping (y0 == y1) with gamma 1.
    static func lookupTable(size: Int, positions: [Double], values: [Double]) -> [Double] {
        let scale = Double(size - 1)
        let x = positions.map { $0 * scale }
        let samples = linspace(count: size).map { scale * $0 }
        var table = [values[0]]
        for sample in samples[1..<(size - 1)] {
            // numpy.searchsorted(x, sample), side "left": the first position >= sample.
            let upper = x.firstIndex { $0 >= sample } ?? x.count
            let distance = (sample - x[upper - 1]) / (x[upper] - x[upper - 1])
            table.append(distance * (values[upper] - values[upper - 1]) + values[upper - 1])
        }
        table.append(values[values.count - 1])
        return table.map { min(max($0, 0), 1) }
    }
}
