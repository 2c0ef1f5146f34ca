import XCTest
@testable import Evaluation

/// The PNG plots' bitmap font: complete for printable ASCII, well-formed, and drawn where asked.
final class ReportFontTests: XCTestCase {
    func testEveryPrintableASCIICharacterHasAWellFormedGlyph() {
        var seen: [[String]: Character] = [:]
        for code in 32...126 {
            let character = Character(UnicodeScalar(UInt8(code)))
            guard let rows = ReportBitmapFont.glyphs[character] else {
                XCTFail("no glyph for \(character)")
                continue
            }
            XCTAssertEqual(rows.count, ReportBitmapFont.glyphHeight, "rows of \(character)")
            for row in rows {
                XCTAssertEqual(row.count, ReportBitmapFont.glyphWidth, "row width of \(character)")
                XCTAssertTrue(row.allSatisfy { $0 == "#" || $0 == "." }, "pixels of \(character)")
            }
            // A glyph pasted twice would leave one character unreadable.
            if let other = seen[rows] { XCTFail("\(character) and \(other) share a glyph") }
            seen[rows] = character
            if character != " " { XCTAssertFalse(ReportBitmapFont.pixels(of: character).isEmpty, "\(character) is blank") }
        }
        XCTAssertEqual(ReportBitmapFont.glyphs.count, 95)
    }

    func testTextLandsWhereTheGlyphSays() {
        // "7" at scale 2, anchored at its left edge, centred vertically on y = 10.
        var raster = ReportRaster(width: 20, height: 20)
        raster.text("7", x: 3, y: 10, scale: 2, anchor: .start, vertical: false, .black)
        let top = 10 - ReportBitmapFont.capHeight  // half the 14-pixel cap height above the centre
        var expected = Set<[Int]>()
        for (column, row) in ReportBitmapFont.pixels(of: "7") {
            for dy in 0..<2 { for dx in 0..<2 { expected.insert([3 + column * 2 + dx, top + row * 2 + dy]) } }
        }
        var lit = Set<[Int]>()
        for y in 0..<20 { for x in 0..<20 where raster.color(x: x, y: y) == .black { lit.insert([x, y]) } }
        XCTAssertEqual(lit, expected)
        // The top row of "7" is a full bar: columns 3...12 of the first two pixel rows.
        XCTAssertTrue((3...12).allSatisfy { raster.color(x: $0, y: top) == .black })
    }

    func testVerticalTextReadsBottomToTop() {
        var raster = ReportRaster(width: 30, height: 30)
        raster.text("L", x: 15, y: 15, scale: 1, anchor: .middle, vertical: true, .black)
        // "L"'s long stem is its left column; turned counter-clockwise it becomes the top... of a row: the glyph's
        // left column (x = 0) maps to the highest y, its rows spread along x.
        var lit: [(Int, Int)] = []
        for y in 0..<30 { for x in 0..<30 where raster.color(x: x, y: y) == .black { lit.append((x, y)) } }
        XCTAssertEqual(lit.count, ReportBitmapFont.pixels(of: "L").count)
        let xs = Set(lit.map(\.0)), ys = Set(lit.map(\.1))
        XCTAssertEqual(xs.count, 7, "seven glyph rows run along x")
        XCTAssertEqual(ys.count, 5, "five glyph columns run along y")
        // The stem (glyph column 0, all 7 rows) is the bottom-most line of pixels.
        XCTAssertEqual(lit.filter { $0.1 == ys.max()! }.count, 7)
    }

    func testNonASCIIFoldsToLookAlikesOrQuestionMark() {
        func draw(_ text: String) -> [UInt8] {
            var raster = ReportRaster(width: 40, height: 12)
            raster.text(text, x: 1, y: 6, scale: 1, anchor: .start, vertical: false, .black)
            return raster.pixels
        }
        XCTAssertEqual(draw("é×—"), draw("ex-"))
        XCTAssertEqual(draw("日"), draw("?"))
        XCTAssertNotEqual(draw("e"), draw("?"))
    }

    func testWidthMatchesTheAdvance() {
        XCTAssertEqual(ReportFigure.textWidth("abc", scale: 2), Double(3 * 6 * 2 - 2))
    }
}
