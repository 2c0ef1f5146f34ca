/// Reads one RoPE dict into a `RoPEScaling`, following the per-type required keys of transformers'
/// validation and each version's defaults for the original length and factor.
struct RoPEScalingParser {
    let dict: ConfigFields
    let reading: TransformersReading
    let maxPositionEmbeddings: Int
    /// A top-level `original_max_position_embeddings` (Phi-3 style). v5 gives it priority for yarn,
    /// llama3 and longrope; v4 reads it only for longrope.
    let topLevelOriginal: Int?

    static func allowedKeys(_ ropeType: String) -> Set<String> {
        let common: Set<String> = ["rope_type", "type", "rope_theta", "partial_rotary_factor"]
        switch ropeType {
        case "linear": return common.union(["factor"])
        case "dynamic": return common.union(["factor", "original_max_position_embeddings"])
        case "yarn":
            return common.union(["factor", "original_max_position_embeddings", "attention_factor", "beta_fast", "beta_slow",
                                 "mscale", "mscale_all_dim", "truncate"])
        case "llama3": return common.union(["factor", "original_max_position_embeddings", "low_freq_factor", "high_freq_factor"])
        case "longrope": return common.union(["short_factor", "long_factor", "factor", "attention_factor", "original_max_position_embeddings"])
        default: return common
        }
    }

    func parse(_ ropeType: String) throws -> RoPEScaling {
        switch ropeType {
        case "default": return .none
        case "linear": return .linear(factor: try factor())
        case "dynamic": return .dynamic(factor: try factor())
        case "yarn": return .yarn(try yarn())
        case "llama3": return .llama3(try llama3())
        case "longrope": return .longrope(try longrope())
        default: throw dict.error(dict.has("rope_type") ? "rope_type" : "type", .unsupportedRoPEType(ropeType))
        }
    }

    private func factor() throws -> Double {
        let factor = try dict.required("factor", dict.double)
        guard factor >= 1 else { throw dict.error("factor", .factorBelowOne(factor)) }
        return factor
    }

    /// transformers 5 fills the original length (top level first, then the dict, then
    /// max_position_embeddings) before validating, so it is never missing there.
    private func originalLengthV5() throws -> Int {
        try topLevelOriginal ?? dict.int("original_max_position_embeddings") ?? maxPositionEmbeddings
    }

    private func yarn() throws -> YaRNScaling {
        let original = try reading == .v5
            ? originalLengthV5()
            : dict.int("original_max_position_embeddings") ?? maxPositionEmbeddings
        return YaRNScaling(factor: try factor(), originalMaxPositionEmbeddings: original,
                           attentionFactor: try dict.double("attention_factor"),
                           betaFast: try dict.double("beta_fast"), betaSlow: try dict.double("beta_slow"),
                           mscale: try dict.double("mscale"), mscaleAllDim: try dict.double("mscale_all_dim"),
                           truncate: try dict.bool("truncate"))
    }

    private func llama3() throws -> Llama3Scaling {
        // v4 requires the original length in the dict (KeyError otherwise).
        let original = try reading == .v5
            ? originalLengthV5()
            : dict.required("original_max_position_embeddings", dict.int)
        return Llama3Scaling(factor: try factor(),
                             lowFreqFactor: try dict.required("low_freq_factor", dict.double),
                             highFreqFactor: try dict.required("high_freq_factor", dict.double),
                             originalMaxPositionEmbeddings: original)
    }

    private func longrope() throws -> LongRoPEScaling {
        let short = try dict.required("short_factor", dict.doubles)
        let long = try dict.required("long_factor", dict.doubles)
        let given = try dict.double("factor")
        if let given, given < 1 { throw dict.error("factor", .factorBelowOne(given)) }
        let original: Int
        let factor: Double
        switch reading {
        case .v5:
            original = try originalLengthV5()
            factor = given ?? Double(maxPositionEmbeddings) / Double(original)
        case .v4:
            // v4 reads only the top-level original length, and then derives the factor from it.
            original = topLevelOriginal ?? maxPositionEmbeddings
            if let topLevelOriginal {
                factor = Double(maxPositionEmbeddings) / Double(topLevelOriginal)
            } else {
                factor = try dict.required("factor", dict.double)
            }
        }
        return LongRoPEScaling(shortFactor: short, longFactor: long, factor: factor,
                               attentionFactor: try dict.double("attention_factor"), originalMaxPositionEmbeddings: original)
    }
}
