import Formats

/// The transformers RoPE scaling of a GGUF model, from `{arch}.rope.scaling.*` or from the llama3
/// per-frequency factors llama.cpp stores as `rope_freqs.weight` instead of the parameters.
enum GGUFRoPEScaling {
    static func scaling(of c: GGUFModelConfig, file: String) throws -> RoPEScaling {
        func refuse(_ why: String) -> ModelDirectoryError { ModelDirectoryError(path: file, reason: .unsupported(why)) }
        if let factors = c.ropeFrequencyFactors {
            guard c.ropeScaling == nil else { throw refuse("both rope_freqs.weight and rope.scaling.* are set; which one applies is ambiguous") }
            guard let llama3 = llama3(matching: factors, base: c.ropeTheta, headDim: c.headDim, maxPositions: c.maxPositionEmbeddings) else {
                throw refuse("rope_freqs.weight holds per-frequency factors that match no llama3 rope_scaling (low_freq_factor 1, high_freq_factor 4, original length 2048-131072)")
            }
            return .llama3(llama3)
        }
        guard let s = c.ropeScaling else { return .none }
        let key = "\(c.architecture).rope.scaling"
        switch s.type {
        case "linear":
            guard let factor = s.factor else { throw refuse("\(key).type is linear but \(key).factor is missing") }
            return .linear(factor: factor)
        case "yarn":
            guard let factor = s.factor, let original = s.originalMaxPositionEmbeddings else {
                throw refuse("\(key).type is yarn but \(key).factor or \(key).original_context_length is missing")
            }
            // DeepSeek-style mscale, stored by llama.cpp as a log multiplier, has no Llama/Qwen2 counterpart.
            if let m = s.yarnLogMultiplier, m != 0 { throw refuse("\(key).yarn_log_multiplier \(m) is not supported") }
            return .yarn(YaRNScaling(factor: factor, originalMaxPositionEmbeddings: original, attentionFactor: s.attentionFactor,
                                     betaFast: s.yarnBetaFast, betaSlow: s.yarnBetaSlow))
        default:
            throw refuse("\(key).type '\(s.type)' is not supported (linear and yarn are)")
        }
    }

    /// The llama3 parameters whose frequencies divide the plain ones by exactly `factors` (to float32
    /// precision), trying the lengths and frequency bands Llama 3.x uses; nil when none fits.
    static func llama3(matching factors: [Float], base: Double, headDim: Int, maxPositions: Int) -> Llama3Scaling? {
        guard let factor = factors.max(), factor >= 1 else { return nil }
        let plain = RoPEConfiguration(base: base, headDim: headDim, maxPositionEmbeddings: maxPositions).frequencies().inverseFrequencies
        guard plain.count == factors.count else { return nil }
        for original in [8192, 4096, 16384, 32768, 2048, 65536, 131_072] {
            let candidate = Llama3Scaling(factor: Double(factor), lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: original)
            let scaled = RoPEConfiguration(base: base, scaling: .llama3(candidate), headDim: headDim, maxPositionEmbeddings: maxPositions)
                .frequencies().inverseFrequencies
            let fits = zip(zip(plain, scaled), factors).allSatisfy { pair, stored in
                abs(pair.0 / pair.1 - stored) <= 1e-4 * stored
            }
            if fits { return candidate }
        }
        return nil
    }
}
