import Foundation

/// cos and sin of every (position, frequency) pair, already multiplied by the attention factor.
/// Row-major `[position][frequency]` with `rotaryDim / 2` columns: transformers concatenates each row
/// with itself (`cat(freqs, freqs)`), so column i serves dimensions i and i + rotaryDim/2.
public struct RoPETables: Sendable, Equatable {
    public var positionCount: Int
    public var frequencyCount: Int
    public var cos: [Float]
    public var sin: [Float]

    public func cos(position row: Int, frequency column: Int) -> Float { cos[row * frequencyCount + column] }
    public func sin(position row: Int, frequency column: Int) -> Float { sin[row * frequencyCount + column] }
}

extension RoPEFrequencies {
    /// The tables for these positions, with transformers' float32 steps: `position.float() * inv_freq`,
    /// then cos/sin, then times the attention factor cast to float32.
    public func tables(positions: [Int]) -> RoPETables {
        let scale = Float(attentionFactor)
        var cosines: [Float] = [], sines: [Float] = []
        cosines.reserveCapacity(positions.count * inverseFrequencies.count)
        sines.reserveCapacity(positions.count * inverseFrequencies.count)
        for position in positions {
            let p = Float(position)
            for inv in inverseFrequencies {
                let angle = p * inv
                cosines.append(Foundation.cos(angle) * scale)
                sines.append(Foundation.sin(angle) * scale)
            }
        }
        return RoPETables(positionCount: positions.count, frequencyCount: inverseFrequencies.count, cos: cosines, sin: sines)
    }
}

extension RoPEConfiguration {
    /// Tables for these positions, with the frequencies the model picks for them: the sequence length
    /// defaults to `max(positions) + 1`, as transformers' forward derives it.
    public func tables(positions: [Int], sequenceLength: Int? = nil) -> RoPETables {
        frequencies(sequenceLength: sequenceLength ?? positions.max().map { $0 + 1 }).tables(positions: positions)
    }
}
