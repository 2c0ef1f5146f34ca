import Foundation
import XCTest
@testable import Evaluation

/// RULER's metrics and prediction clean-up against values computed by RULER's own Python functions
/// (Tests/Fixtures/ruler/metrics.json, made by scripts/fixtures/ruler_metrics.py from a RULER checkout).
final class RULERMetricTests: XCTestCase {
    private struct Case {
        var prediction: String
        var references: [String]
        var postprocessed: String
        var all: Double, part: Double, allPost: Double, partPost: Double
    }

    private func cases() throws -> [Case] {
        let json = try RULERFixtures.json("metrics.json")
        let list = try XCTUnwrap(json["cases"]?.array)
        XCTAssertGreaterThan(list.count, 20)
        return try list.map { c in
            Case(prediction: try XCTUnwrap(c["prediction"]?.string),
                 references: try XCTUnwrap(c["references"]?.array).map { try XCTUnwrap($0.string) },
                 postprocessed: try XCTUnwrap(c["postprocessed"]?.string),
                 all: try XCTUnwrap(c["string_match_all"]?.number),
                 part: try XCTUnwrap(c["string_match_part"]?.number),
                 allPost: try XCTUnwrap(c["string_match_all_postprocessed"]?.number),
                 partPost: try XCTUnwrap(c["string_match_part_postprocessed"]?.number))
        }
    }

    /// RULER reports score x100 rounded to 2 places (Python's round: half to even on the binary value).
    private func percent(_ value: Double) -> Double { (value * 100 * 100).rounded(.toNearestOrEven) / 100 }

    func testMetricsMatchRULERPython() throws {
        for c in try cases() {
            let what = "prediction \(c.prediction.debugDescription) refs \(c.references.debugDescription)"
            XCTAssertEqual(percent(RULERMetric.stringMatchAll.score(prediction: c.prediction, references: c.references)),
                           c.all, accuracy: 1e-9, what)
            XCTAssertEqual(percent(RULERMetric.stringMatchPart.score(prediction: c.prediction, references: c.references)),
                           c.part, accuracy: 1e-9, what)
        }
    }

    func testPostprocessMatchesRULERPython() throws {
        for c in try cases() {
            XCTAssertEqual(RULERMetric.postprocess(c.prediction), c.postprocessed, c.prediction.debugDescription)
        }
    }

    func testTaskScoreIsTheMetricOfThePostprocessedOutput() throws {
        let all = RULERTask(kind: .niahMultivalue, lengths: [], samplesPerLength: 0)
        let part = RULERTask(kind: .qa1, lengths: [], samplesPerLength: 0)
        for c in try cases() {
            let sample = EvalSample(id: "x", task: all.name, prompt: "", references: c.references, maxNewTokens: 1,
                                    contextLength: 1, fields: ["metric": "string_match_all"])
            let scores = all.score(output: c.prediction, sample: sample)
            XCTAssertEqual(Set(scores.keys), ["score", "string_match_all"])
            XCTAssertEqual(percent(try XCTUnwrap(scores["score"])), c.allPost, accuracy: 1e-9, c.prediction.debugDescription)
            XCTAssertEqual(scores["score"], scores["string_match_all"])

            var qaSample = sample
            qaSample.fields["metric"] = "string_match_part"
            let qaScores = part.score(output: c.prediction, sample: qaSample)
            XCTAssertEqual(Set(qaScores.keys), ["score", "string_match_part"])
            XCTAssertEqual(percent(try XCTUnwrap(qaScores["score"])), c.partPost, accuracy: 1e-9)
        }
    }

    /// RULER's task score is the mean over samples x100, rounded: ours per sample must average to the same.
    func testMeanOverSamplesMatchesRULER() throws {
        let json = try RULERFixtures.json("metrics.json")
        let cases = try self.cases()
        let all = cases.map { RULERMetric.stringMatchAll.score(prediction: $0.prediction, references: $0.references) }
        let part = cases.map { RULERMetric.stringMatchPart.score(prediction: $0.prediction, references: $0.references) }
        XCTAssertEqual(percent(all.reduce(0, +) / Double(all.count)), try XCTUnwrap(json["mean_string_match_all"]?.number), accuracy: 1e-9)
        XCTAssertEqual(percent(part.reduce(0, +) / Double(part.count)), try XCTUnwrap(json["mean_string_match_part"]?.number), accuracy: 1e-9)
    }

    func testKnownOutputsOnGeneratedSamples() throws {
        for kind in RULERTask.Kind.allCases {
            let task = try RULERFixtures.task(kind, lengths: [1500], samples: 1)
            let sample = try XCTUnwrap(task.makeSamples(tokenizer: RULERWhitespaceTokenizer()).first)
            let metric = task.configuration.metric
            XCTAssertEqual(sample.fields["metric"], metric.rawValue, kind.rawValue)
            XCTAssertEqual(metric, kind == .qa1 || kind == .qa2 ? .stringMatchPart : .stringMatchAll)
            let refs = sample.references
            XCTAssertFalse(refs.isEmpty)
            // Every answer, in upper case and with chatter around it: full marks.
            let full = task.score(output: "  Sure! " + refs.joined(separator: ", ").uppercased() + ".\n", sample: sample)
            XCTAssertEqual(full["score"], 1, kind.rawValue)
            XCTAssertEqual(full[metric.rawValue], 1, kind.rawValue)
            XCTAssertEqual(task.score(output: "no idea", sample: sample)["score"], 0, kind.rawValue)
            if refs.count > 1 {
                let first = task.score(output: refs[0], sample: sample)["score"]!
                let expected = metric == .stringMatchPart ? 1 : 1 / Double(refs.count)
                // A reference may contain another (e.g. "1841" in "in 1841"): count those too.
                let contained = Double(refs.filter { refs[0].lowercased().contains($0.lowercased()) }.count)
                XCTAssertEqual(first, metric == .stringMatchPart ? expected : contained / Double(refs.count), accuracy: 1e-12, kind.rawValue)
            }
        }
    }
}
