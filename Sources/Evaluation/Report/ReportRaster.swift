import Foundation

/// An RGB pixel grid with the few drawing operations plots need: filled rectangles, anti-aliased thick lines
/// and discs (coverage from the distance to the shape), and bitmap-font text.
struct ReportRaster {
    let width: Int
    let height: Int
    /// Row-major RGB, 3 bytes a pixel.
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, background: ReportColor = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height) {
            pixels[index * 3] = background.red
            pixels[index * 3 + 1] = background.green
            pixels[index * 3 + 2] = background.blue
        }
    }

    func color(x: Int, y: Int) -> ReportColor {
        let offset = (y * width + x) * 3
        return ReportColor(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
    }

    mutating func set(x: Int, y: Int, _ color: ReportColor, alpha: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height, alpha > 0 else { return }
        let painted = alpha >= 1 ? color : color.blended(over: self.color(x: x, y: y), alpha: alpha)
        let offset = (y * width + x) * 3
        pixels[offset] = painted.red
        pixels[offset + 1] = painted.green
        pixels[offset + 2] = painted.blue
    }

    /// Fills the pixels whose centres lie inside [x0, x1) x [y0, y1).
    mutating func fill(x0: Double, y0: Double, x1: Double, y1: Double, _ color: ReportColor) {
        let columns = max(0, Int((x0 - 0.5).rounded(.up)))..<min(width, Int((x1 - 0.5).rounded(.up)))
        let rows = max(0, Int((y0 - 0.5).rounded(.up)))..<min(height, Int((y1 - 0.5).rounded(.up)))
        for y in rows { for x in columns { set(x: x, y: y, color) } }
    }

    /// A one-pixel outline on the pixels just right of / below each edge, so neighbouring cells share a border
    /// column instead of doubling it.
    mutating func outline(x0: Double, y0: Double, x1: Double, y1: Double, _ color: ReportColor) {
        let left = Int(x0.rounded()), right = Int(x1.rounded()), top = Int(y0.rounded()), bottom = Int(y1.rounded())
        for x in left...max(left, right) {
            set(x: x, y: top, color)
            set(x: x, y: bottom, color)
        }
        for y in top...max(top, bottom) {
            set(x: left, y: y, color)
            set(x: right, y: y, color)
        }
    }

    /// A segment of thickness `width` with round ends, anti-aliased by pixel-centre distance.
    mutating func segment(from start: (Double, Double), to end: (Double, Double), width lineWidth: Double,
                          _ color: ReportColor) {
        let half = lineWidth / 2
        let minX = max(0, Int((min(start.0, end.0) - half - 1).rounded(.down)))
        let maxX = min(width - 1, Int((max(start.0, end.0) + half + 1).rounded(.up)))
        let minY = max(0, Int((min(start.1, end.1) - half - 1).rounded(.down)))
        let maxY = min(height - 1, Int((max(start.1, end.1) + half + 1).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let dx = end.0 - start.0, dy = end.1 - start.1
        let lengthSquared = dx * dx + dy * dy
        for y in minY...maxY {
            for x in minX...maxX {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                var t = lengthSquared == 0 ? 0 : ((px - start.0) * dx + (py - start.1) * dy) / lengthSquared
                t = min(max(t, 0), 1)
                let cx = start.0 + t * dx - px, cy = start.1 + t * dy - py
                let distance = (cx * cx + cy * cy).squareRoot()
                let coverage = min(max(half + 0.5 - distance, 0), 1)
                if coverage > 0 { set(x: x, y: y, color, alpha: coverage) }
            }
        }
    }

    /// A polyline, solid or dashed (dash and gap lengths measured along the line).
    mutating func polyline(_ points: [(Double, Double)], width lineWidth: Double, dash: (Double, Double)?,
                           _ color: ReportColor) {
        guard points.count >= 2 else { return }
        guard let (dashLength, gapLength) = dash, dashLength > 0 else {
            for index in 1..<points.count { segment(from: points[index - 1], to: points[index], width: lineWidth, color) }
            return
        }
        var phase = 0.0  // distance into the current dash+gap period
        let period = dashLength + gapLength
        for index in 1..<points.count {
            let (ax, ay) = points[index - 1], (bx, by) = points[index]
            let length = ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot()
            var travelled = 0.0
            while travelled < length {
                let inDash = phase < dashLength
                let step = min(length - travelled, inDash ? dashLength - phase : period - phase)
                if inDash, step > 0 {
                    let t0 = travelled / length, t1 = (travelled + step) / length
                    segment(from: (ax + (bx - ax) * t0, ay + (by - ay) * t0),
                            to: (ax + (bx - ax) * t1, ay + (by - ay) * t1), width: lineWidth, color)
                }
                travelled += step
                phase = (phase + step).truncatingRemainder(dividingBy: period)
            }
        }
    }

    mutating func disc(x: Double, y: Double, radius: Double, _ color: ReportColor) {
        segment(from: (x, y), to: (x, y), width: radius * 2, color)
    }

    /// Bitmap-font text: `x` per `anchor`, `y` the vertical centre of capitals; `vertical` reads bottom to top.
    /// ReportFigure.Text.bounds is the box this draws in.
    mutating func text(_ string: String, x: Double, y: Double, scale: Int, anchor: ReportFigure.TextAnchor,
                       vertical: Bool, _ color: ReportColor) {
        let string = ReportBitmapFont.drawable(string)
        let length = ReportFigure.textWidth(string, scale: scale)
        let startOffset: Double = switch anchor {
        case .start: 0
        case .middle: -length / 2
        case .end: -length
        }
        let halfCap = Double(ReportBitmapFont.capHeight * scale) / 2
        for (index, character) in string.enumerated() {
            for (column, row) in ReportBitmapFont.pixels(of: character) {
                // Position along the text and across it, in pixels from the anchor point.
                let along = startOffset + Double((index * ReportBitmapFont.advance + column) * scale)
                let across = Double(row * scale) - halfCap
                for sy in 0..<scale {
                    for sx in 0..<scale {
                        let (px, py) = vertical
                            ? (x + across + Double(sy), y - along - Double(sx) - 1)
                            : (x + along + Double(sx), y + across + Double(sy))
                        set(x: Int(px.rounded(.down)), y: Int(py.rounded(.down)), color)
                    }
                }
            }
        }
    }
}
