import Evaluation
import Foundation

/// The runner's progress on stderr: samples done of the total, the last sample's score, rate and ETA.
final class EvalProgress: ProgressReporter, @unchecked Sendable {
    private let line = ProgressLine()
    private let lock = NSLock()
    private var total = 0, done = 0, doneThisRun = 0
    private var started = Date()

    func start(total: Int, done: Int) {
        lock.withLock {
            self.total = total
            self.done = done
            started = Date()
        }
        if done > 0 { writeStandardError("resuming: \(done) of \(total) samples already done\n") }
    }

    func finished(_ record: EvalRecord) {
        lock.withLock {
            done += 1
            doneThisRun += 1
            let elapsed = Date().timeIntervalSince(started)
            let perSample = elapsed / Double(doneThisRun)
            let eta = perSample * Double(total - done)
            let score = record.scores["score"].map { String(format: "%.3f", $0) } ?? "-"
            line.update("[\(done)/\(total)] \(record.id) score \(score) | \(String(format: "%.1f", perSample)) s/sample, ETA \(formatDuration(eta))")
            if done == total { line.finish() }
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
}
