extension RoPEConfiguration {
    /// Reads the RoPE of a whole config.json object as the given transformers version would (see
    /// `TransformersReading`), validating it. `headDim` and `maxPositionEmbeddings` come from the
    /// model config (they are not RoPE keys).
    public init(config: ConfigJSON, headDim: Int, maxPositionEmbeddings: Int, reading: TransformersReading = .v5) throws {
        self = try Self.read(config: config, headDim: headDim, maxPositionEmbeddings: maxPositionEmbeddings, reading: reading).configuration
    }

    /// The configuration plus the keys of the RoPE dict that transformers would not recognize (it
    /// warns about them and goes on, and so do we).
    static func read(config: ConfigJSON, headDim: Int, maxPositionEmbeddings: Int,
                     reading: TransformersReading) throws -> (configuration: RoPEConfiguration, unrecognizedKeys: [String]) {
        let top = try ConfigFields(config)
        let dict = try RoPEKeys.ropeDict(in: top, reading: reading)

        // v5 keeps `rope_type` when both spellings are present; v4's LlamaConfig copies `type` over it.
        let ropeType = try reading == .v5
            ? dict.string("rope_type") ?? dict.string("type") ?? "default"
            : dict.string("type") ?? dict.string("rope_type") ?? "default"
        let base: Double
        if reading == .v5, let inDict = try dict.double("rope_theta") {
            base = inDict
        } else {
            base = try top.double("rope_theta") ?? RoPEKeys.defaultBase
        }
        let topRotary = try top.double("partial_rotary_factor")
        let rotaryFactor = try reading == .v5 ? dict.double("partial_rotary_factor") ?? topRotary ?? 1 : topRotary ?? 1
        var configuration = RoPEConfiguration(base: base, headDim: headDim, partialRotaryFactor: rotaryFactor,
                                              maxPositionEmbeddings: maxPositionEmbeddings)
        // Dimension errors first: they explain list-length errors that would otherwise come first.
        try configuration.validate(dictKey: dict.prefix)
        let parser = RoPEScalingParser(dict: dict, reading: reading, maxPositionEmbeddings: maxPositionEmbeddings,
                                       topLevelOriginal: try top.int("original_max_position_embeddings"))
        configuration.scaling = try parser.parse(ropeType)
        try configuration.validate(dictKey: dict.prefix)
        let allowed = RoPEScalingParser.allowedKeys(ropeType)
        return (configuration, dict.keys.filter { !allowed.contains($0) })
    }
}
