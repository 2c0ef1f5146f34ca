extension RoPEScaling {
    /// The scaling's keys in transformers' names, sorted, without `rope_type` and `rope_theta`.
    /// Optional yarn/longrope keys appear only when set, so defaults stay defaults.
    var fields: [(key: String, value: ConfigJSON)] {
        var fields: [(key: String, value: ConfigJSON)] = []
        func add(_ key: String, _ value: ConfigJSON?) { if let value { fields.append((key, value)) } }
        switch self {
        case .none: break
        case let .linear(factor), let .dynamic(factor): add("factor", .float(factor))
        case let .yarn(yarn):
            add("attention_factor", yarn.attentionFactor.map(ConfigJSON.float))
            add("beta_fast", yarn.betaFast.map(ConfigJSON.float))
            add("beta_slow", yarn.betaSlow.map(ConfigJSON.float))
            add("factor", .float(yarn.factor))
            add("mscale", yarn.mscale.map(ConfigJSON.float))
            add("mscale_all_dim", yarn.mscaleAllDim.map(ConfigJSON.float))
            add("original_max_position_embeddings", .integer(yarn.originalMaxPositionEmbeddings))
            add("truncate", yarn.truncate.map(ConfigJSON.bool))
        case let .llama3(llama3):
            add("factor", .float(llama3.factor))
            add("high_freq_factor", .float(llama3.highFreqFactor))
            add("low_freq_factor", .float(llama3.lowFreqFactor))
            add("original_max_position_embeddings", .integer(llama3.originalMaxPositionEmbeddings))
        case let .longrope(longrope):
            add("attention_factor", longrope.attentionFactor.map(ConfigJSON.float))
            add("factor", .float(longrope.factor))
            add("long_factor", .array(longrope.longFactor.map(ConfigJSON.float)))
            add("original_max_position_embeddings", .integer(longrope.originalMaxPositionEmbeddings))
            add("short_factor", .array(longrope.shortFactor.map(ConfigJSON.float)))
        }
        return fields
    }
}

extension RoPEConfiguration {
    /// `rope_scaling` for transformers 4: null for plain RoPE, else `rope_type` and the scaling keys.
    /// No `rope_theta` inside: 4.x reads the base from the top level only (and warns on the key).
    public var ropeScalingJSON: ConfigJSON {
        if case .none = scaling { return .null }
        return .object(sortedEntries(scaling.fields + [("rope_type", .string(scaling.typeName))]))
    }

    /// `rope_parameters` as transformers 5 writes it: `rope_theta`, `rope_type` and the scaling keys.
    public var ropeParametersJSON: ConfigJSON {
        .object(sortedEntries(scaling.fields + [("rope_theta", .float(base)), ("rope_type", .string(scaling.typeName))]))
    }

    /// The top-level keys that make transformers 4.57 and 5.x load this RoPE alike (proved by
    /// scripts/check_config_roundtrip.py): a top-level `rope_theta` (5.x fills `rope_scaling`'s missing
    /// base from it, else uses 10000), `rope_scaling` (which 5.x prefers over `rope_parameters`, and
    /// the only form 4.x reads), and `rope_parameters` for readers that know only the 5.x form.
    /// longrope also needs the top-level original length, the only one 4.x reads for it.
    public var configKeys: [(key: String, value: ConfigJSON)] {
        var keys: [(key: String, value: ConfigJSON)] = [
            ("rope_theta", .float(base)), ("rope_scaling", ropeScalingJSON), ("rope_parameters", ropeParametersJSON),
        ]
        if partialRotaryFactor != 1 { keys.append(("partial_rotary_factor", .float(partialRotaryFactor))) }
        if case let .longrope(longrope) = scaling {
            keys.append(("original_max_position_embeddings", .integer(longrope.originalMaxPositionEmbeddings)))
        }
        return keys
    }

    private func sortedEntries(_ entries: [(key: String, value: ConfigJSON)]) -> [(key: String, value: ConfigJSON)] {
        entries.sorted { ConfigJSON.pythonOrder($0.key, $1.key) }
    }
}
