extension ConfigDocument {
    /// The config for continued pretraining with a new RoPE: `base` (e.g. ProLong's 8e6), `scaling`
    /// and the new `max_position_embeddings`. Head size and partial_rotary_factor stay the model's.
    /// The result is checked by reading it back as transformers 5 and as transformers 4 would: both
    /// must give exactly the RoPE asked for, or this throws.
    public func changingRoPE(base: Double, scaling: RoPEScaling, maxPositionEmbeddings: Int) throws -> ConfigDocument {
        let target = RoPEConfiguration(base: base, scaling: scaling, headDim: config.headDim,
                                       partialRotaryFactor: config.rope.partialRotaryFactor,
                                       maxPositionEmbeddings: maxPositionEmbeddings)
        do {
            try target.validate()
        } catch let error as ConfigError {
            throw error.inFile(file)
        }
        var json = self.json
        for (key, value) in target.configKeys { json.set(key, to: value) }
        json.set(LlamaConfig.CodingKeys.maxPositionEmbeddings.rawValue, to: .integer(maxPositionEmbeddings))
        // transformers 5 prefers a top-level original length over the dict's; keep the two equal.
        let topOriginal = LlamaConfig.CodingKeys.originalMaxPositionEmbeddings.rawValue
        if json[topOriginal] != nil, let original = scaling.originalMaxPositionEmbeddings {
            json.set(topOriginal, to: .integer(original))
        }

        let written = try ConfigDocument(json: json, file: file)
        for reading in TransformersReading.allCases {
            let readBack: RoPEConfiguration
            do {
                readBack = try RoPEConfiguration(config: json, headDim: config.headDim,
                                                 maxPositionEmbeddings: maxPositionEmbeddings, reading: reading)
            } catch {
                throw ConfigError(file: file, key: "rope_scaling", .transformersVersionsDisagree("transformers \(reading.rawValue) cannot read it: \(error)"))
            }
            guard readBack == target else {
                throw ConfigError(file: file, key: "rope_scaling",
                                  .transformersVersionsDisagree("transformers \(reading.rawValue) reads \(readBack.summary), wanted \(target.summary)"))
            }
        }
        return written
    }
}
