import Foundation

/// Draws a figure as SVG text (real <text> elements, a linear gradient for the colour bar) or as PNG bytes.
extension ReportFigure {
    var svg: String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans Mono, Menlo, Consolas, monospace">
        <title>\(Self.escape(title))</title>
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="#ffffff"/>

        """
        var gradients = 0
        for element in elements {
            switch element {
            case .rect(let rect):
                var attributes = Self.classAttribute(rect.cssClass)
                attributes += " x=\"\(Self.number(rect.x))\" y=\"\(Self.number(rect.y))\""
                attributes += " width=\"\(Self.number(rect.width))\" height=\"\(Self.number(rect.height))\""
                attributes += " fill=\"\(rect.fill?.hex ?? "none")\""
                if let stroke = rect.stroke { attributes += " stroke=\"\(stroke.hex)\" stroke-width=\"1\"" }
                for (name, value) in rect.data { attributes += " data-\(name)=\"\(Self.escape(value))\"" }
                out += "<rect\(attributes)/>\n"
            case .line(let line):
                let points = line.points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
                var attributes = Self.classAttribute(line.cssClass)
                attributes += " points=\"\(points)\" fill=\"none\" stroke=\"\(line.color.hex)\""
                attributes += " stroke-width=\"\(Self.number(line.width))\" stroke-linejoin=\"round\""
                if let (dash, gap) = line.dash {
                    attributes += " stroke-dasharray=\"\(Self.number(dash)) \(Self.number(gap))\""
                }
                out += "<polyline\(attributes)/>\n"
            case .circle(let circle):
                out += "<circle cx=\"\(Self.number(circle.x))\" cy=\"\(Self.number(circle.y))\" "
                    + "r=\"\(Self.number(circle.radius))\" fill=\"\(circle.fill.hex)\"/>\n"
            case .text(let text):
                // Monospace at 10 units per scale step: 0.6 em advance = the bitmap font's 6 pixels per scale step.
                // The baseline goes half a cap height below the centre (dominant-baseline is not read everywhere);
                // vertical text turns about its centre.
                let baseline = text.y + ReportFigure.textHeight(scale: text.scale) / 2
                var attributes = Self.classAttribute(text.cssClass)
                attributes += " x=\"\(Self.number(text.x))\" y=\"\(Self.number(baseline))\" font-size=\"\(text.scale * 10)\""
                attributes += " text-anchor=\"\(text.anchor.rawValue)\" fill=\"\(text.color.hex)\""
                if text.vertical { attributes += " transform=\"rotate(-90 \(Self.number(text.x)) \(Self.number(text.y)))\"" }
                out += "<text\(attributes)>\(Self.escape(text.text))</text>\n"
            case .colorRamp(let ramp):
                gradients += 1
                let id = "colorbar\(gradients)"
                let stops = ramp.colormap.stops.enumerated().map { index, color in
                    let offset = Double(index) / Double(ramp.colormap.stops.count - 1)
                    return "<stop offset=\"\(Self.number(offset))\" stop-color=\"\(color.hex)\"/>"
                }.joined()
                out += "<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
                    + "\(stops)</linearGradient></defs>\n"
                out += "<rect class=\"colorbar\" x=\"\(Self.number(ramp.x))\" y=\"\(Self.number(ramp.y))\" "
                    + "width=\"\(Self.number(ramp.width))\" height=\"\(Self.number(ramp.height))\" fill=\"url(#\(id))\"/>\n"
            }
        }
        return out + "</svg>\n"
    }

    var raster: ReportRaster {
        var raster = ReportRaster(width: width, height: height)
        for element in elements {
            switch element {
            case .rect(let rect):
                if let fill = rect.fill {
                    raster.fill(x0: rect.x, y0: rect.y, x1: rect.x + rect.width, y1: rect.y + rect.height, fill)
                }
                if let stroke = rect.stroke {
                    raster.outline(x0: rect.x, y0: rect.y, x1: rect.x + rect.width, y1: rect.y + rect.height, stroke)
                }
            case .line(let line):
                raster.polyline(line.points, width: line.width, dash: line.dash, line.color)
            case .circle(let circle):
                raster.disc(x: circle.x, y: circle.y, radius: circle.radius, circle.fill)
            case .text(let text):
                raster.text(text.text, x: text.x, y: text.y, scale: text.scale, anchor: text.anchor,
                            vertical: text.vertical, text.color)
            case .colorRamp(let ramp):
                // One colormap lookup per pixel row, the top row the highest score.
                let top = Int(ramp.y.rounded()), bottom = Int((ramp.y + ramp.height).rounded())
                for row in top..<max(top, bottom) {
                    let score = 1 - (Double(row - top) + 0.5) / Double(bottom - top)
                    raster.fill(x0: ramp.x, y0: Double(row), x1: ramp.x + ramp.width, y1: Double(row + 1),
                                ramp.colormap.color(score))
                }
            }
        }
        return raster
    }

    func png() throws -> [UInt8] { try ReportPNG.encode(raster) }

    /// Writes `<basePath>.svg` and `<basePath>.png`; returns both paths.
    func write(basePath: String) throws -> (svg: String, png: String) {
        let svgPath = basePath + ".svg", pngPath = basePath + ".png"
        try ReportFormatting.write(svg, to: svgPath)
        try ReportFormatting.write(Data(try png()), to: pngPath)
        return (svgPath, pngPath)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even escaped; drop them.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                   scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r" { continue }
                out.append(character)
            }
        }
        return out
    }

    /// Coordinates with at most two decimals and no trailing zeros.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func classAttribute(_ cssClass: String?) -> String {
        cssClass.map { " class=\"\(escape($0))\"" } ?? ""
    }
}
