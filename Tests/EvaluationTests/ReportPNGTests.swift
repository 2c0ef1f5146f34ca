import CCompression
import Foundation
import XCTest
@testable import Evaluation

/// The PNG writer and the PNG plots, read back by code that shares nothing with the writer: a bitwise CRC,
/// zlib's inflate and an unfilter written here, and scripts/check_report_png.py (Python's zlib, and Pillow when
/// installed).
final class ReportPNGTests: XCTestCase {
    typealias S = ReportTestSupport

    /// Checks signature, chunk order and CRCs, IHDR, and the inflated size; returns (width, height, RGB pixels).
    static func decode(_ png: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> (Int, Int, [UInt8]) {
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "signature", file: file, line: line)
        let chunks = S.chunks(png, file: file, line: line)
        XCTAssertEqual(chunks.first?.type, "IHDR", file: file, line: line)
        XCTAssertEqual(chunks.last?.type, "IEND", file: file, line: line)
        for chunk in chunks {
            XCTAssertEqual(S.crc32Bitwise(Array(chunk.type.utf8) + chunk.data), chunk.storedCRC, "CRC of \(chunk.type)",
                           file: file, line: line)
        }
        let header = try XCTUnwrap(chunks.first?.data)
        XCTAssertEqual(header.count, 13, file: file, line: line)
        let width = Int(S.bigEndian(header[0..<4])), height = Int(S.bigEndian(header[4..<8]))
        XCTAssertEqual(Array(header[8..<13]), [8, 2, 0, 0, 0], "8-bit RGB, deflate, no interlace", file: file, line: line)

        let compressed = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        let expectedSize = height * (1 + width * 3)
        var inflated = [UInt8](repeating: 0, count: expectedSize + 16)
        var inflatedSize = uLong(inflated.count)
        let status = inflated.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &inflatedSize, $0.baseAddress, uLong($0.count)) }
        }
        XCTAssertEqual(status, Z_OK, "IDAT is a valid zlib stream", file: file, line: line)
        XCTAssertEqual(Int(inflatedSize), expectedSize, "inflated size = height * (1 + width * 3)", file: file, line: line)
        return (width, height, try S.unfilter(Array(inflated.prefix(Int(inflatedSize))), width: width, height: height))
    }

    func testEncodesPixelsExactly() throws {
        let (width, height) = (7, 5)
        let rgb = (0..<(width * height * 3)).map { UInt8(($0 * 37 + 11) % 256) }
        let png = try ReportPNG.encode(width: width, height: height, rgb: rgb)
        let (decodedWidth, decodedHeight, pixels) = try Self.decode(png)
        XCTAssertEqual(decodedWidth, width)
        XCTAssertEqual(decodedHeight, height)
        XCTAssertEqual(pixels, rgb)
    }

    func testBadChunkIsCaughtByTheChecks() throws {
        // The checks above must be able to fail: a flipped pixel byte breaks the IDAT CRC.
        var png = try ReportPNG.encode(width: 2, height: 2, rgb: [UInt8](repeating: 200, count: 12))
        let chunks = S.chunks(png)
        let idat = try XCTUnwrap(chunks.first { $0.type == "IDAT" })
        XCTAssertEqual(S.crc32Bitwise(Array("IDAT".utf8) + idat.data), idat.storedCRC)
        png[8 + 25 + 8 + 2] ^= 0xFF  // inside IDAT's data (signature, IHDR chunk of 25 bytes, IDAT length+type)
        let damaged = try XCTUnwrap(S.chunks(png).first { $0.type == "IDAT" })
        XCTAssertNotEqual(S.crc32Bitwise(Array("IDAT".utf8) + damaged.data), damaged.storedCRC)
    }

    /// Cell rectangles of a heatmap figure by "length/depth".
    static func cellRects(_ figure: ReportFigure) -> [String: ReportFigure.Rect] {
        var cells: [String: ReportFigure.Rect] = [:]
        for case .rect(let rect) in figure.elements where rect.cssClass?.hasPrefix("cell") == true {
            let data = Dictionary(uniqueKeysWithValues: rect.data)
            cells[data["length"]! + "/" + data["depth"]!] = rect
        }
        return cells
    }

    static func heatmapFixture() throws -> (ReportFigure, [(x: Int, y: Int, hex: String)]) {
        let fixture = try ReportHeatmapTests.fixtureScores()
        let lengths = [2000, 4000, 8000, 16000], depths: [Double] = [0, 25, 50, 75, 100]
        var records: [EvalRecord] = []
        var expected: [String: String] = [:]
        for (row, depth) in depths.enumerated() {
            for (column, length) in lengths.enumerated() {
                let (score, hex) = fixture[(row * lengths.count + column) * 2 % fixture.count]
                records.append(S.record(length: length, depth: depth, score: score))
                expected["\(length)/\(ReportFormatting.depth(depth))"] = hex
            }
        }
        let summary = EvalSummary(records: records, info: S.info("PNG check", trainedLength: 4000))
        let figure = HeatmapFigure.single(HeatmapPanel(summary: summary)!)
        let points = cellRects(figure).map { key, rect in
            (x: Int(rect.x + rect.width / 4), y: Int(rect.y + rect.height / 2), hex: expected[key]!)
        }
        return (figure, points.sorted { ($0.x, $0.y) < ($1.x, $1.y) })
    }

    func testHeatmapPixelsHaveMatplotlibColoursAndText() throws {
        let (figure, points) = try Self.heatmapFixture()
        let (width, height, pixels) = try Self.decode(try figure.png())
        XCTAssertEqual(width, figure.width)
        XCTAssertEqual(height, figure.height)
        func pixel(_ x: Int, _ y: Int) -> ReportColor {
            let offset = (y * width + x) * 3
            return ReportColor(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
        }
        XCTAssertEqual(points.count, 20)
        for point in points { XCTAssertEqual(pixel(point.x, point.y).hex, point.hex, "cell at \(point.x),\(point.y)") }

        // The title band holds ink-coloured text pixels, and so does the band under the grid (tick labels).
        let cells = Self.cellRects(figure).values
        let gridTop = Int(cells.map(\.y).min()!), gridBottom = Int(cells.map { $0.y + $0.height }.max()!)
        let ink = ReportColor.ink
        let titlePixels = (0..<gridTop).flatMap { y in (0..<width).filter { pixel($0, y) == ink } }.count
        let tickPixels = (gridBottom + 6..<min(height, gridBottom + 24)).flatMap { y in (0..<width).filter { pixel($0, y) == ink } }.count
        XCTAssertGreaterThan(titlePixels, 500, "title text drawn")
        XCTAssertGreaterThan(tickPixels, 100, "length labels drawn")

        // The dashed white trained-length line sits on the 4000/8000 boundary: white pixels there, some rows.
        let boundary = Int(Self.cellRects(figure)["8000/0"]!.x)
        let whiteRows = (gridTop..<gridBottom).filter { pixel(boundary, $0) == .white }.count
        XCTAssertGreaterThan(whiteRows, (gridBottom - gridTop) / 3)
        XCTAssertLessThan(whiteRows, gridBottom - gridTop, "dashed, not solid")
    }

    func testPythonDecodesTheHeatmap() throws {
        let (figure, points) = try Self.heatmapFixture()
        let directory = try S.temporaryDirectory("png")
        let paths = try figure.write(basePath: directory + "/heatmap")
        let output = try S.runScript("check_report_png.py", [paths.png] + points.map { "\($0.x),\($0.y)" })
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(result["width"] as? Int, figure.width)
        XCTAssertEqual(result["height"] as? Int, figure.height)
        XCTAssertEqual(result["channels"] as? Int, 3)
        let pixels = try XCTUnwrap(result["pixels"] as? [[Int]])
        XCTAssertEqual(pixels.count, points.count)
        for (pixel, point) in zip(pixels, points) {
            let color = ReportColor(red: UInt8(pixel[0]), green: UInt8(pixel[1]), blue: UInt8(pixel[2]))
            XCTAssertEqual(color.hex, point.hex, "cell at \(point.x),\(point.y) as Python reads it")
        }
        print("check_report_png.py decoded with \(result["decoder"] ?? "?")")
    }

    func testCurvesAndCombinedHeatmapsAreValidPNGs() throws {
        let a = EvalSummary(records: S.gridRecords(lengths: [1000, 2000], depths: [0, 100]) { _, _ in 1 }, info: S.info("a"))
        let b = EvalSummary(records: S.gridRecords(lengths: [1000, 4000], depths: [0, 50, 100]) { _, _ in 0 }, info: S.info("b"))
        let combined = HeatmapFigure.combined([HeatmapPanel(summary: a)!, HeatmapPanel(summary: b)!])
        let curves = CurvesFigure.figure([CurveSeries(summary: a, label: "a", metric: "score")!,
                                          CurveSeries(summary: b, label: "b", metric: "score")!], metric: "score")
        for figure in [combined, curves] {
            let (width, height, _) = try Self.decode(try figure.png())
            XCTAssertEqual([width, height], [figure.width, figure.height])
        }
    }
}
