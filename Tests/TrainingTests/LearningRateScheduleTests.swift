import Foundation
import Training
import XCTest

/// The schedule against transformers' get_cosine_with_min_lr_schedule_with_warmup
/// (fixture: scripts/make_schedule_fixtures.py).
final class LearningRateScheduleTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let peak: Double
            let warmup_ratio: Double
            let warmup_steps: Int
            let total_steps: Int
            let min_lr_rate: Double
            let lrs: [Double]
        }
        let cases: [Case]
    }

    func testMatchesTransformersStepForStep() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TrainingTestSupport.fixtures + "/lr_schedules.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        XCTAssertEqual(fixture.cases.count, 6)
        for c in fixture.cases {
            let schedule = LearningRateSchedule(peak: c.peak, warmupRatio: c.warmup_ratio, totalSteps: c.total_steps, minRatio: c.min_lr_rate)
            XCTAssertEqual(schedule.warmupSteps, c.warmup_steps, "warmup of \(c.total_steps) x \(c.warmup_ratio)")
            for (step, expected) in c.lrs.enumerated() {
                // Same double arithmetic as Python's math module: equal to the last bit or two.
                XCTAssertEqual(schedule.learningRate(step: step), expected, accuracy: 1e-12 * expected + 1e-20,
                               "case peak \(c.peak) total \(c.total_steps): step \(step)")
            }
        }
    }

    func testEndsAtTheFloor() {
        let schedule = LearningRateSchedule(peak: 1e-5, warmupRatio: 0.1, totalSteps: 100, minRatio: 0.1)
        XCTAssertEqual(schedule.learningRate(step: 10), 1e-5, accuracy: 1e-18)
        XCTAssertEqual(schedule.learningRate(step: 100), 1e-6, accuracy: 1e-18)
        XCTAssertEqual(schedule.learningRate(step: 1000), 1e-6, accuracy: 1e-18)
    }
}
