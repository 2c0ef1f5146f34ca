/// Which dict of a config.json holds the RoPE parameters, per transformers version (transformers 5:
/// `convert_rope_params_to_dict` and `standardize_rope_params`; transformers 4: `LlamaConfig.__init__`).
enum RoPEKeys {
    /// The base both versions use when no `rope_theta` is given anywhere.
    static let defaultBase = 10_000.0
    /// Attention layer types transformers 5 may nest rope_parameters under.
    static let layerTypeNames: Set<String> = ["full_attention", "sliding_attention", "chunked_attention"]

    /// The dict the version reads, named for errors. transformers 5 prefers a non-empty `rope_scaling`
    /// (`rope_scaling or rope_parameters`); transformers 4 never reads `rope_parameters`.
    static func ropeDict(in top: ConfigFields, reading: TransformersReading) throws -> ConfigFields {
        func object(_ key: String) throws -> ConfigFields? {
            guard let value = top.value(key) else { return nil }
            guard let entries = value.objectValue else { throw top.error(key, .wrongType(expected: "an object or null")) }
            return ConfigFields(entries: entries, prefix: top.path(key))
        }
        var chosen = try object("rope_scaling") ?? ConfigFields(entries: [], prefix: "rope_scaling")
        guard reading == .v5 else { return chosen }
        if chosen.entries.isEmpty, let parameters = try object("rope_parameters") { chosen = parameters }
        // transformers 5 can nest the dict per layer type, but Llama, Mistral and Qwen2 build one rotary
        // embedding from a flat dict: measured with 5.23, Llama and Mistral silently run default RoPE at
        // base 10000 and Qwen2 raises KeyError. So refuse it rather than guess.
        let nested = chosen.entries.filter { layerTypeNames.contains($0.key) && $0.value.objectValue != nil }.map(\.key)
        if !nested.isEmpty { throw ConfigError(key: chosen.prefix, .perLayerRoPE(nested)) }
        return chosen
    }
}
