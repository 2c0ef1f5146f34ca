extension RoPEConfiguration {
    /// Checks the values the way transformers' `_validate_*_rope_parameters` do, but refuses what they
    /// only warn about when it would give wrong frequencies (factor < 1, beta_fast < beta_slow,
    /// high_freq_factor <= low_freq_factor, longrope lists of the wrong length).
    /// `dictKey` names the RoPE dict in errors ("rope_scaling" or "rope_parameters").
    public func validate(dictKey: String = "rope_scaling") throws {
        func fail(_ key: String, _ problem: ConfigProblem) -> ConfigError { ConfigError(key: dictKey + "." + key, problem) }
        guard base.isFinite, base > 0 else { throw ConfigError(key: "rope_theta", .notPositive) }
        guard headDim > 0 else { throw ConfigError(key: "head_dim", .notPositive) }
        guard partialRotaryFactor > 0, partialRotaryFactor <= 1 else {
            throw ConfigError(key: "partial_rotary_factor", .outOfRange("0 < partial_rotary_factor <= 1"))
        }
        guard rotaryDim >= 2, rotaryDim % 2 == 0 else {
            throw ConfigError(key: partialRotaryFactor == 1 ? "head_dim" : "partial_rotary_factor",
                              .outOfRange("the rotary dimension (head_dim x partial_rotary_factor = \(rotaryDim)) must be even and at least 2"))
        }
        guard maxPositionEmbeddings > 0 else { throw ConfigError(key: "max_position_embeddings", .notPositive) }
        func atLeastOne(_ factor: Double) throws {
            guard factor.isFinite, factor >= 1 else { throw fail("factor", .factorBelowOne(factor)) }
        }
        func positiveOriginal(_ length: Int) throws {
            guard length > 0 else { throw fail("original_max_position_embeddings", .notPositive) }
        }
        func positiveAttention(_ value: Double?) throws {
            if let value, !(value > 0) { throw fail("attention_factor", .notPositive) }
        }
        switch scaling {
        case .none: break
        case let .linear(factor), let .dynamic(factor): try atLeastOne(factor)
        case let .yarn(yarn):
            try atLeastOne(yarn.factor)
            try positiveOriginal(yarn.originalMaxPositionEmbeddings)
            try positiveAttention(yarn.attentionFactor)
            if yarn.effectiveBetaFast < yarn.effectiveBetaSlow { throw fail("beta_fast", .notGreater(than: "beta_slow")) }
        case let .llama3(llama3):
            try atLeastOne(llama3.factor)
            try positiveOriginal(llama3.originalMaxPositionEmbeddings)
            guard llama3.lowFreqFactor > 0 else { throw fail("low_freq_factor", .notPositive) }
            guard llama3.highFreqFactor > llama3.lowFreqFactor else { throw fail("high_freq_factor", .notGreater(than: "low_freq_factor")) }
        case let .longrope(longrope):
            try positiveOriginal(longrope.originalMaxPositionEmbeddings)
            try positiveAttention(longrope.attentionFactor)
            guard longrope.factor > 0 else { throw fail("factor", .notPositive) }
            for (key, values) in [("short_factor", longrope.shortFactor), ("long_factor", longrope.longFactor)] {
                guard values.count == rotaryDim / 2 else { throw fail(key, .wrongLength(expected: rotaryDim / 2, actual: values.count)) }
                guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail(key, .notPositive) }
            }
        }
    }
}
