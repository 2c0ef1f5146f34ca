import Foundation

/// One line per optimizer step in `metrics.jsonl`: loss, learning rate, gradient norm, speed and
/// tokens seen per domain. On resume the lines after the checkpoint's step are dropped first, so
/// the file always reads as one uninterrupted run.
public final class MetricsLog {
    public struct Entry: Codable, Sendable, Equatable {
        public var stage: String
        public var step: Int
        /// Token-averaged loss of the step (NaN/Inf when the step was skipped).
        public var loss: Double
        public var learningRate: Double
        public var gradNorm: Double
        public var tokens: Int
        public var tokensPerSecond: Double
        /// Valid target tokens seen so far in the run, per domain.
        public var tokensSeenPerDomain: [String: Int]
        /// Set when the step was not applied (non-finite loss or gradient).
        public var skipped: Bool

        enum CodingKeys: String, CodingKey {
            case stage, step, loss, tokens, skipped
            case learningRate = "lr", gradNorm = "grad_norm", tokensPerSecond = "tokens_per_s"
            case tokensSeenPerDomain = "tokens_seen_per_domain"
        }

        public init(stage: String, step: Int, loss: Double, learningRate: Double, gradNorm: Double, tokens: Int,
                    tokensPerSecond: Double, tokensSeenPerDomain: [String: Int], skipped: Bool) {
            self.stage = stage
            self.step = step
            self.loss = loss
            self.learningRate = learningRate
            self.gradNorm = gradNorm
            self.tokens = tokens
            self.tokensPerSecond = tokensPerSecond
            self.tokensSeenPerDomain = tokensSeenPerDomain
            self.skipped = skipped
        }
    }

    public let path: String
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// Opens (or creates) the log, keeping only entries with a global step below `keepBelowStep`.
    public init(path: String, keepBelowStep: Int) throws {
        self.path = path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // JSON has no NaN: non-finite losses are written as strings.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self.encoder = encoder
        let kept = try Self.entries(path: path).filter { $0.step < keepBelowStep }
        var text = Data()
        for entry in kept { text += try encoder.encode(entry) + Data("\n".utf8) }
        try text.write(to: URL(fileURLWithPath: path), options: .atomic)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    public func append(_ entry: Entry) throws {
        try handle.write(contentsOf: try encoder.encode(entry) + Data("\n".utf8))
    }

    /// Makes the entries so far durable (called with each checkpoint).
    public func sync() throws { try handle.synchronize() }

    /// The entries of a log file (none if it does not exist).
    public static func entries(path: String) throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out: [Entry] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do { out.append(try decoder.decode(Entry.self, from: Data(line))) } catch {
                throw TrainingError.badCheckpoint(path: path, reason: "line \(number + 1) is not a metrics entry: \(error)")
            }
        }
        return out
    }
}
