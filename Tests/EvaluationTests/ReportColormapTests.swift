import XCTest
@testable import Evaluation

/// ScoreColormap against matplotlib's own LinearSegmentedColormap values (Tests/Fixtures/report/
/// heatmap_colors.json, made by scripts/fixtures/heatmap_colors.py).
final class ReportColormapTests: XCTestCase {
    func testMatchesMatplotlib() throws {
        let url = URL(fileURLWithPath: ReportTestSupport.repoRoot + "/Tests/Fixtures/report/heatmap_colors.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(root["colors"] as? [String], ScoreColormap.fuStops)
        XCTAssertEqual(root["N"] as? Int, ScoreColormap.fu.size)
        let samples = try XCTUnwrap(root["samples"] as? [[String: Any]])
        XCTAssertGreaterThan(samples.count, 30)
        for sample in samples {
            let score = sample["score"] as! Double
            let rgb = sample["rgb"] as! [Double]
            let (red, green, blue) = ScoreColormap.fu.unitRGB(score)
            XCTAssertEqual(red, rgb[0], accuracy: 1e-15, "red of \(score)")
            XCTAssertEqual(green, rgb[1], accuracy: 1e-15, "green of \(score)")
            XCTAssertEqual(blue, rgb[2], accuracy: 1e-15, "blue of \(score)")
            XCTAssertEqual(ScoreColormap.fu.color(score).hex, sample["hex"] as? String, "hex of \(score)")
        }
    }

    func testEndsAndClamping() {
        XCTAssertEqual(ScoreColormap.fu.color(0).hex, "#f0496e")
        XCTAssertEqual(ScoreColormap.fu.color(1).hex, "#0cd79f")
        XCTAssertEqual(ScoreColormap.fu.color(-3).hex, "#f0496e")
        XCTAssertEqual(ScoreColormap.fu.color(7).hex, "#0cd79f")
        XCTAssertNil(ScoreColormap(hexStops: ["#12345"]))
    }
}
