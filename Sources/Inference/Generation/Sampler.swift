import Corpus
import Foundation

/// How the next token is chosen: greedy (temperature 0) or sampled from softmax(logits / temperature) restricted to
/// the smallest set of most likely tokens whose probability reaches `topP` (nucleus sampling, as transformers'
/// TopPLogitsWarper: at least one token is always kept).
public struct SamplingParameters: Sendable, Equatable {
    public var temperature: Double
    public var topP: Double
    public var seed: UInt64

    public init(temperature: Double = 0, topP: Double = 1, seed: UInt64 = 0) {
        precondition(temperature >= 0 && temperature.isFinite, "temperature must be >= 0")
        precondition(topP > 0 && topP <= 1, "top_p must be in (0, 1]")
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
    }

    public static let greedy = SamplingParameters()
    public var isGreedy: Bool { temperature == 0 }
}

/// Draws tokens for one sequence; the random stream depends only on the seed, so a sequence samples the same tokens
/// alone or in a batch.
struct Sampler {
    let parameters: SamplingParameters
    private var random: SplitMix64

    init(_ parameters: SamplingParameters) {
        self.parameters = parameters
        random = SplitMix64(seed: parameters.seed)
    }

    mutating func next(logits: UnsafeBufferPointer<Float>) -> Int32 {
        parameters.isGreedy ? Self.argmax(logits) : sample(logits)
    }

    /// The first index of the largest logit (torch.argmax's choice on ties).
    static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in 1..<logits.count where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    private mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        let inverseTemperature = 1 / parameters.temperature
        var maxLogit = -Double.infinity
        for value in logits { maxLogit = max(maxLogit, Double(value)) }
        var weights = logits.map { ((Double($0) - maxLogit) * inverseTemperature).exp() }
        var candidates = Array(0..<logits.count)
        if parameters.topP < 1 {
            let total = weights.reduce(0, +)
            candidates.sort { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
            var cumulative = 0.0, keep = 0
            while keep < candidates.count {
                cumulative += weights[candidates[keep]] / total
                keep += 1
                if cumulative >= parameters.topP { break }
            }
            candidates.removeLast(candidates.count - keep)
            let kept = Set(candidates)
            for i in weights.indices where !kept.contains(i) { weights[i] = 0 }
            candidates.sort()
        }
        let total = candidates.reduce(0) { $0 + weights[$1] }
        let draw = Double(random.next() >> 11) / Double(1 << 53) * total
        var cumulative = 0.0
        for index in candidates {
            cumulative += weights[index]
            if draw < cumulative { return Int32(index) }
        }
        return Int32(candidates.last!)
    }
}

private extension Double {
    func exp() -> Double { Foundation.exp(self) }
}
