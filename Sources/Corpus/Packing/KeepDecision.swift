/// Fu et al.'s length upsampling: a document shorter than `threshold` tokens is kept with
/// probability `keepProbability`. The draw is a pure function of (seed, stream, epoch, ordinal),
/// so a resumed or split build makes the same decisions as one uninterrupted run.
public struct KeepDecision: Sendable, Equatable {
    public var threshold: Int
    public var keepProbability: Double

    public init(threshold: Int, keepProbability: Double) {
        self.threshold = threshold
        self.keepProbability = keepProbability
    }

    public func keeps(length: Int, seed: UInt64, stream: String, epoch: Int, ordinal: Int) -> Bool {
        guard length < threshold else { return true }
        return Self.uniform(seed: seed, stream: stream, epoch: epoch, ordinal: ordinal) < keepProbability
    }

    /// A uniform draw in [0, 1) from 53 bits of SplitMix64 over the mixed key.
    public static func uniform(seed: UInt64, stream: String, epoch: Int, ordinal: Int) -> Double {
        var generator = SplitMix64(seed: seed ^ stableHash(stream) ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
                                   ^ (UInt64(ordinal) &* 0xD1B5_4A32_D192_ED03))
        _ = generator.next()
        return Double(generator.next() >> 11) / Double(1 << 53)
    }
}
