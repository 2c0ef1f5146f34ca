/// A plot as a list of shapes in pixel coordinates (origin top-left), drawn the same way to SVG and to PNG so
/// the two outputs of a figure agree.
struct ReportFigure: Sendable {
    enum TextAnchor: String, Sendable {
        case start, middle, end
    }

    struct Rect: Sendable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
        var fill: ReportColor?
        var stroke: ReportColor?
        /// SVG `class` and `data-*` attributes (e.g. a heatmap cell's length, depth and score); PNG ignores them.
        var cssClass: String? = nil
        var data: [(String, String)] = []
    }

    struct Line: Sendable {
        var points: [(Double, Double)]
        var color: ReportColor
        var width: Double
        /// Dash and gap lengths; nil draws a solid line.
        var dash: (Double, Double)? = nil
        var cssClass: String? = nil
    }

    struct Circle: Sendable {
        var x: Double
        var y: Double
        var radius: Double
        var fill: ReportColor
    }

    /// Text whose vertical centre is at `y`; `vertical` turns it 90° counter-clockwise (reads bottom to top).
    struct Text: Sendable {
        var text: String
        var x: Double
        var y: Double
        var scale: Int
        var anchor: TextAnchor = .middle
        var vertical = false
        var color: ReportColor = .ink
        var cssClass: String? = nil
    }

    /// A vertical colour bar: the colormap's high end at the top, like matplotlib's colorbar.
    struct ColorRamp: Sendable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
        var colormap: ScoreColormap
    }

    enum Element: Sendable {
        case rect(Rect)
        case line(Line)
        case circle(Circle)
        case text(Text)
        case colorRamp(ColorRamp)
    }

    var width: Int
    var height: Int
    var title: String
    var elements: [Element] = []

    mutating func add(_ element: Element) { elements.append(element) }

    /// Width in pixels of `text` at `scale`: the bitmap font's advance, which the SVG's monospace font matches.
    static func textWidth(_ text: String, scale: Int) -> Double {
        Double(text.count * ReportBitmapFont.advance * scale - scale)
    }

    static func textHeight(scale: Int) -> Double { Double(ReportBitmapFont.capHeight * scale) }
}
