import Foundation

/// Linear warmup, then cosine decay to `minRatio` x peak: transformers'
/// `get_cosine_with_min_lr_schedule_with_warmup` (what ProLong's trainer uses), step for step.
/// As there, `step` counts optimizer updates already made, so with warmup the first update has
/// learning rate 0.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minRatio: Double

    public init(peak: Double, warmupSteps: Int, totalSteps: Int, minRatio: Double) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minRatio = minRatio
    }

    /// ProLong's form: warmup as a share of the stage's steps (HF rounds it up: math.ceil).
    public init(peak: Double, warmupRatio: Double, totalSteps: Int, minRatio: Double) {
        self.init(peak: peak, warmupSteps: Int((warmupRatio * Double(totalSteps)).rounded(.up)),
                  totalSteps: totalSteps, minRatio: minRatio)
    }

    public func learningRate(step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step) / Double(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        let cosine = 0.5 * (1 + cos(Double.pi * 2 * 0.5 * progress))
        return peak * max(0, cosine * (1 - minRatio) + minRatio)
    }
}
