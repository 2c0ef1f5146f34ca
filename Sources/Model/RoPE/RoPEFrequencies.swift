import Foundation

/// The inverse-frequency table a model uses for one sequence length, and the factor transformers
/// multiplies cos and sin by (`attention_scaling`; 1 except for yarn and longrope).
public struct RoPEFrequencies: Sendable, Equatable {
    /// `rotaryDim / 2` values; frequency i rotates dimensions i and i + rotaryDim/2 (rotate_half layout).
    public var inverseFrequencies: [Float]
    public var attentionFactor: Double

    public init(inverseFrequencies: [Float], attentionFactor: Double) {
        self.inverseFrequencies = inverseFrequencies
        self.attentionFactor = attentionFactor
    }
}

/// The arithmetic mirrors transformers' float32 tensor code step by step, because the order of
/// roundings decides the last bits: Python scalars are cast to float32 before they meet a tensor,
/// and `scalar / tensor` is computed by torch as `reciprocal(tensor) * scalar`.
extension RoPEConfiguration {
    /// The frequencies the model uses for a sequence whose largest position is `sequenceLength - 1`
    /// (transformers' `max(position_ids) + 1`). Only dynamic NTK and longrope depend on it; nil means
    /// the table built at model init (no growth: dynamic uses the plain base, longrope the short factors).
    public func frequencies(sequenceLength: Int? = nil) -> RoPEFrequencies {
        switch scaling {
        case .none:
            return RoPEFrequencies(inverseFrequencies: plainInverseFrequencies(base: Float(base)), attentionFactor: 1)
        case let .linear(factor):
            let divisor = Float(factor)
            return RoPEFrequencies(inverseFrequencies: plainInverseFrequencies(base: Float(base)).map { $0 / divisor }, attentionFactor: 1)
        case let .dynamic(factor):
            return RoPEFrequencies(inverseFrequencies: plainInverseFrequencies(base: dynamicBase(factor: factor, sequenceLength: sequenceLength)),
                                   attentionFactor: 1)
        case let .yarn(yarn):
            return RoPEFrequencies(inverseFrequencies: yarnInverseFrequencies(yarn), attentionFactor: attentionFactor)
        case let .llama3(llama3):
            return RoPEFrequencies(inverseFrequencies: llama3InverseFrequencies(llama3), attentionFactor: 1)
        case let .longrope(longrope):
            let useLong = (sequenceLength ?? 0) > longrope.originalMaxPositionEmbeddings
            return RoPEFrequencies(inverseFrequencies: longropeInverseFrequencies(useLong ? longrope.longFactor : longrope.shortFactor),
                                   attentionFactor: attentionFactor)
        }
    }

    /// cos and sin multiply by this (transformers' `attention_scaling`); it does not vary with length.
    public var attentionFactor: Double {
        switch scaling {
        case let .yarn(yarn): return yarn.attentionFactorOrDefault
        case let .longrope(longrope): return longrope.attentionFactorOrDefault
        case .none, .linear, .dynamic, .llama3: return 1
        }
    }

    /// `base^(2i/d)` for i < d/2, in float32 (`torch.arange(0, d, 2).float() / d`, then `base ** x`).
    private func powers(base: Float) -> [Float] {
        let dim = Float(rotaryDim)
        return (0..<(rotaryDim / 2)).map { Foundation.pow(base, Float(2 * $0) / dim) }
    }

    private func plainInverseFrequencies(base: Float) -> [Float] { powers(base: base).map { 1 / $0 } }

    /// Dynamic NTK's grown base `base * ((factor * L / Lmax) - (factor - 1)) ^ (d / (d - 2))`. transformers
    /// computes it on 0-dim tensors in the forward pass, which comes out as the double result rounded to
    /// float32 (checked against the model's forward for several lengths).
    private func dynamicBase(factor: Double, sequenceLength: Int?) -> Float {
        guard let sequenceLength, sequenceLength > maxPositionEmbeddings else { return Float(base) }
        let dim = Double(rotaryDim)
        let growth = factor * Double(sequenceLength) / Double(maxPositionEmbeddings) - (factor - 1)
        return Float(base * Foundation.pow(growth, dim / (dim - 2)))
    }

    private func yarnInverseFrequencies(_ yarn: YaRNScaling) -> [Float] {
        let dim = Double(rotaryDim)
        let logBase = Foundation.log(base)
        func correctionDim(_ rotations: Double) -> Double {
            dim * Foundation.log(Double(yarn.originalMaxPositionEmbeddings) / (rotations * 2 * Double.pi)) / (2 * logBase)
        }
        var low = correctionDim(yarn.effectiveBetaFast)
        var high = correctionDim(yarn.effectiveBetaSlow)
        if yarn.effectiveTruncate {
            low = low.rounded(.down)
            high = high.rounded(.up)
        }
        low = Swift.max(low, 0)
        high = Swift.min(high, dim - 1)
        if low == high { high += 0.001 }  // transformers' guard against a zero-width ramp
        let lowF = Float(low), width = Float(high - low), factor = Float(yarn.factor)
        return powers(base: Float(base)).enumerated().map { index, power in
            let ramp = Swift.min(Swift.max((Float(index) - lowF) / width, 0), 1)
            let extrapolation = 1 - ramp
            return (1 / (factor * power)) * (1 - extrapolation) + (1 / power) * extrapolation
        }
    }

    private func llama3InverseFrequencies(_ llama3: Llama3Scaling) -> [Float] {
        let original = Double(llama3.originalMaxPositionEmbeddings)
        let lowWavelength = Float(original / llama3.lowFreqFactor)
        let highWavelength = Float(original / llama3.highFreqFactor)
        let factor = Float(llama3.factor), lowFactor = Float(llama3.lowFreqFactor)
        let span = Float(llama3.highFreqFactor - llama3.lowFreqFactor)
        return plainInverseFrequencies(base: Float(base)).map { inv in
            let wavelength = (1 / inv) * Float(2 * Double.pi)
            let scaled = wavelength > lowWavelength ? inv / factor : inv
            guard !(wavelength < highWavelength), !(wavelength > lowWavelength) else { return scaled }
            let smooth = ((1 / wavelength) * Float(original) - lowFactor) / span
            return ((1 - smooth) * scaled) / factor + smooth * scaled
        }
    }

    private func longropeInverseFrequencies(_ factors: [Double]) -> [Float] {
        zip(factors, powers(base: Float(base))).map { 1 / (Float($0) * $1) }
    }
}

extension YaRNScaling {
    /// The given attention_factor, else YaRN's `0.1 ln(s) + 1`, or DeepSeek's ratio
    /// `mscale(s, mscale) / mscale(s, mscale_all_dim)` when both are set (and non-zero, Python `and`).
    public var attentionFactorOrDefault: Double {
        if let attentionFactor { return attentionFactor }
        func scale(_ multiplier: Double) -> Double { factor <= 1 ? 1 : 0.1 * multiplier * Foundation.log(factor) + 1 }
        if let mscale, let mscaleAllDim, mscale != 0, mscaleAllDim != 0 { return scale(mscale) / scale(mscaleAllDim) }
        return scale(1)
    }
}

extension LongRoPEScaling {
    /// The given attention_factor, else `sqrt(1 + ln(factor) / ln(original))`, 1 when factor <= 1.
    public var attentionFactorOrDefault: Double {
        if let attentionFactor { return attentionFactor }
        if factor <= 1 { return 1 }
        return (1 + Foundation.log(factor) / Foundation.log(Double(originalMaxPositionEmbeddings))).squareRoot()
    }
}
