import Foundation
import XCTest
@testable import Evaluation

/// The metric ports against what HELMET's utils.py, rouge_score, NLTK and pytrec_eval returned on the same inputs
/// (Tests/Fixtures/helmet/metrics.json, written by scripts/fixtures/helmet_metrics.py).
final class HelmetMetricsTests: XCTestCase {
    private func fixture() throws -> [String: Any] {
        try XCTUnwrap(HelmetTestPaths.fixture("metrics.json") as? [String: Any])
    }

    func testAnswerMetricsMatchHELMETUtils() throws {
        let cases = try XCTUnwrap(fixture()["answers"] as? [[String: Any]])
        XCTAssertGreaterThan(cases.count, 20)
        for c in cases {
            let prediction = c["prediction"] as! String, answers = c["answers"] as! [String]
            let label = "prediction \(prediction.debugDescription), answers \(answers)"
            XCTAssertEqual(Array(AnswerMetrics.normalize(prediction).unicodeScalars),
                           Array((c["normalized_prediction"] as! String).unicodeScalars), label)
            for (answer, normalized) in zip(answers, c["normalized_answers"] as! [String]) {
                XCTAssertEqual(Array(AnswerMetrics.normalize(answer).unicodeScalars), Array(normalized.unicodeScalars), label)
            }
            let scores = AnswerMetrics.answerScores(prediction: prediction, answers: answers)
            XCTAssertEqual(scores["exact_match"], c["exact_match"] as? Double, "EM of \(label)")
            XCTAssertEqual(scores["substring_exact_match"], c["substring_exact_match"] as? Double, "SubEM of \(label)")
            XCTAssertEqual(scores["f1"]!, c["f1"] as! Double, accuracy: 1e-12, "F1 of \(label)")
        }
    }

    func testParseOutputMatchesHELMET() throws {
        for c in try XCTUnwrap(fixture()["parse_output"] as? [[String: Any]]) {
            let output = c["output"] as! String, prefix = c["prefix"] as! String
            XCTAssertEqual(HelmetParsing.parseOutput(output, prefix: prefix), c["parsed"] as? String, output.debugDescription)
        }
    }

    func testParseRankingsMatchesHELMET() throws {
        for c in try XCTUnwrap(fixture()["rankings"] as? [[String: Any]]) {
            let output = c["output"] as! String
            XCTAssertEqual(HelmetParsing.parseRankings(output), c["ranking"] as? [String], output)
        }
    }

    func testNDCGMatchesPytrecEval() throws {
        let cases = try XCTUnwrap(fixture()["ndcg"] as? [[String: Any]])
        var nonTrivial = 0
        for c in cases {
            let ranking = c["ranking"] as! [String]
            let qrels = (c["qrels"] as! [String: NSNumber]).mapValues(\.intValue)
            for (k, expected) in c["pytrec"] as! [String: Double] {
                let value = AnswerMetrics.ndcg(ranking: ranking, qrels: qrels, k: Int(k)!)
                XCTAssertEqual(value, expected, accuracy: 1e-12, "ndcg@\(k) of \(ranking) with \(qrels)")
                if expected > 0 && expected < 1 { nonTrivial += 1 }
            }
            // The whole HELMET path: parse the output, score the cutoffs calculate_retrieval_metrics reports.
            let task = HelmetRerankTask(path: "unused", lengths: [])
            let sample = EvalSample(
                id: "x", task: task.name, prompt: "", references: [], maxNewTokens: 1, contextLength: 1,
                fields: ["qrels": HelmetRerankTask.encodeQrels(qrels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
                         "passages": String(qrels.count)])
            let scores = task.score(output: c["output"] as! String, sample: sample)
            for (name, expected) in c["helmet"] as! [String: Double] {
                XCTAssertEqual(scores[name]!, expected, accuracy: 1e-9, "\(name) of \(c["output"]!)")
            }
        }
        XCTAssertGreaterThan(nonTrivial, 20, "the fixture should exercise partial rankings")
    }

    /// Worked by hand: relevant a (1), c (2), z (1, never retrieved); ranking b, a, c, x.
    /// DCG = 1/log2(3) + 2/log2(4); ideal = 2 + 1/log2(3) + 1/log2(4).
    func testNDCGHandComputed() {
        let qrels = ["a": 1, "b": 0, "c": 2, "z": 1]
        let dcg = 1 / log2(3.0) + 2 / log2(4.0), ideal = 2 + 1 / log2(3.0) + 1 / log2(4.0)
        XCTAssertEqual(AnswerMetrics.ndcg(ranking: ["b", "a", "c", "x"], qrels: qrels, k: 10), dcg / ideal, accuracy: 1e-15)
        XCTAssertEqual(AnswerMetrics.ndcg(ranking: ["b", "a", "c", "x"], qrels: qrels, k: 1), 0)
        XCTAssertEqual(AnswerMetrics.ndcg(ranking: ["c", "a", "z"], qrels: qrels, k: 10), 1, accuracy: 1e-15)
        XCTAssertEqual(AnswerMetrics.ndcg(ranking: ["c"], qrels: ["c": 0], k: 10), 0)
    }

    func testRougeOneMatchesRougeScore() throws {
        for c in try XCTUnwrap(fixture()["rouge"] as? [[String: Any]]) {
            let score = Rouge.rouge1(target: c["target"] as! String, prediction: c["prediction"] as! String)
            XCTAssertEqual(score.precision, c["precision"] as! Double, accuracy: 1e-12)
            XCTAssertEqual(score.recall, c["recall"] as! Double, accuracy: 1e-12)
            XCTAssertEqual(score.fmeasure, c["fmeasure"] as! Double, accuracy: 1e-12, "\(c["prediction"]!)")
        }
    }

    func testStemsMatchNLTKPorter() throws {
        let stems = try XCTUnwrap(fixture()["stems"] as? [String: Any])
        let expected = stems["tokens"] as! [String]
        let got = Rouge.tokenize(stems["text"] as! String)
        XCTAssertEqual(got.count, expected.count)
        for (g, e) in zip(got, expected) where g != e { XCTFail("stem \(g) != NLTK's \(e)") }
    }

    func testPythonRandomMatchesCPython() throws {
        for c in try XCTUnwrap(fixture()["random"] as? [[String: Any]]) {
            var r = PythonRandom(seed: (c["seed"] as! NSNumber).uint64Value)
            XCTAssertEqual((0..<5).map { _ in r.getrandbits(32) }, (c["getrandbits32"] as! [NSNumber]).map(\.uint64Value))
            XCTAssertEqual((0..<2).map { _ in r.getrandbits(64) }, (c["getrandbits64"] as! [String]).map { UInt64($0)! })
            XCTAssertEqual((0..<5).map { _ in r.randint(1, 50000) }, (c["randint"] as! [NSNumber]).map(\.intValue))
            XCTAssertEqual((0..<3).map { _ in r.random() }, (c["random"] as! [String]).map { Double($0)! })
            for s in c["samples"] as! [[Any]] {
                let n = (s[0] as! NSNumber).intValue, k = (s[1] as! NSNumber).intValue
                XCTAssertEqual(r.sample(rangeOf: n, count: k), (s[2] as! [NSNumber]).map(\.intValue), "sample(range(\(n)), \(k))")
            }
            var xs = Array(0..<12)
            r.shuffle(&xs)
            XCTAssertEqual(xs, (c["shuffle12"] as! [NSNumber]).map(\.intValue))
        }
    }

    func testBalanceLabelsMatchesHELMET() throws {
        let f = try fixture()
        let data = (f["balance_data"] as! [[Any]]).enumerated().map { i, pair in
            HelmetICLTask.Item(text: pair[0] as! String, label: (pair[1] as! NSNumber).intValue, index: i)
        }
        for c in f["balance_labels"] as! [[String: Any]] {
            let shots = (c["shots"] as! NSNumber).intValue, seed = (c["seed"] as! NSNumber).uint64Value
            XCTAssertEqual(HelmetICLTask.balanceLabels(data, shots: shots, seed: seed).map(\.text), c["texts"] as? [String],
                           "balance_labels(shots: \(shots), seed: \(seed))")
        }
    }

    func testPerTextSeedMatchesHELMET() throws {
        for c in try XCTUnwrap(fixture()["local_seeds"] as? [[String: Any]]) {
            let seed = (c["seed"] as! NSNumber).uint64Value
            XCTAssertEqual(HelmetSizing.hashSeed(c["text"] as! String, offset: seed), (c["local_seed"] as! NSNumber).uint64Value)
        }
    }

    func testSubEMExamples() {
        XCTAssertTrue(AnswerMetrics.substringExactMatch(prediction: "It is THE Eiffel Tower!", answer: "eiffel tower"))
        XCTAssertFalse(AnswerMetrics.substringExactMatch(prediction: "the tower", answer: "eiffel tower"))
        XCTAssertTrue(AnswerMetrics.exactMatch(prediction: "The  Beatles.", answer: "beatles"))
        XCTAssertEqual(AnswerMetrics.f1(prediction: "red blue", answer: "red green"), 0.5, accuracy: 1e-15)
    }
}
