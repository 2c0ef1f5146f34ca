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
        let count = ReportBitmapFont.drawable(text).count
        return count == 0 ? 0 : Double(count * ReportBitmapFont.advance * scale - scale)
    }

    /// Height of capitals and digits: text is centred on it.
    static func textHeight(scale: Int) -> Double { Double(ReportBitmapFont.capHeight * scale) }

    /// Height of a line of text with its descender row: what a label occupies across its reading direction.
    static func lineHeight(scale: Int) -> Double { Double(ReportBitmapFont.glyphHeight * scale) }
}

/// An axis-aligned box in pixels, [x0, x1) x [y0, y1).
struct ReportBox: Sendable, Equatable {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double

    /// Whether the boxes come closer than `gap` pixels (a gap of 0: whether they share any area).
    func overlaps(_ other: ReportBox, gap: Double = 0) -> Bool {
        x0 < other.x1 + gap && other.x0 < x1 + gap && y0 < other.y1 + gap && other.y0 < y1 + gap
    }

    func contains(_ other: ReportBox) -> Bool {
        other.x0 >= x0 && other.x1 <= x1 && other.y0 >= y0 && other.y1 <= y1
    }
}

extension ReportFigure.Text {
    /// The glyph cells the bitmap font fills for this text (descender row included): `textWidth` along the
    /// reading direction, `lineHeight` across it, the capitals centred on `y` (on `x` when vertical).
    var bounds: ReportBox {
        let length = ReportFigure.textWidth(text, scale: scale)
        let start: Double = switch anchor {
        case .start: 0
        case .middle: -length / 2
        case .end: -length
        }
        let halfCap = ReportFigure.textHeight(scale: scale) / 2, across = ReportFigure.lineHeight(scale: scale)
        // Vertical text reads bottom to top: its start is at the bottom, `y - start`.
        return vertical
            ? ReportBox(x0: x - halfCap, y0: y - start - length, x1: x - halfCap + across, y1: y - start)
            : ReportBox(x0: x + start, y0: y - halfCap, x1: x + start + length, y1: y - halfCap + across)
    }
}
