import Training
import XCTest

final class MetricsLogTests: XCTestCase {
    private func entry(_ step: Int, loss: Double = 2.5) -> MetricsLog.Entry {
        .init(stage: "64k", step: step, loss: loss, learningRate: 1e-5, gradNorm: 0.5, tokens: 1024,
              tokensPerSecond: 99, tokensSeenPerDomain: ["code": step * 10], skipped: !loss.isFinite)
    }

    func testResumeDropsEntriesAfterTheCheckpointAndNaNSurvives() throws {
        let path = try TrainingTestSupport.tempDirectory() + "/metrics.jsonl"
        do {
            let log = try MetricsLog(path: path, keepBelowStep: 0)
            for step in 0..<5 { try log.append(entry(step, loss: step == 2 ? .nan : 2.5)) }
        }
        let all = try MetricsLog.entries(path: path)
        XCTAssertEqual(all.map(\.step), [0, 1, 2, 3, 4])
        XCTAssertTrue(all[2].loss.isNaN && all[2].skipped)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"loss\":\"nan\""), text)
        XCTAssertTrue(text.contains("\"tokens_seen_per_domain\":{\"code\":10}"), text)
        do {
            let log = try MetricsLog(path: path, keepBelowStep: 3)
            try log.append(entry(3, loss: 1.0))
        }
        let resumed = try MetricsLog.entries(path: path)
        XCTAssertEqual(resumed.map(\.step), [0, 1, 2, 3])
        XCTAssertEqual(resumed[3].loss, 1.0)
    }
}
