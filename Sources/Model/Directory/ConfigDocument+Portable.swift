extension ConfigDocument {
    /// The config with its RoPE in a form transformers 4.57 and 5.x read alike. transformers 5 writes
    /// only `rope_parameters`, which 4.x ignores (falling back to base 10000 without a word); such a
    /// config gets `rope_theta` and `rope_scaling` added with the values transformers 5 reads, via
    /// `changingRoPE` (which proves both readings agree). A config both already read alike is
    /// returned unchanged, every key as written.
    public func withPortableRoPE() throws -> (document: ConfigDocument, rewritten: Bool) {
        let v4 = try? RoPEConfiguration(config: json, headDim: config.headDim,
                                        maxPositionEmbeddings: config.maxPositionEmbeddings, reading: .v4)
        if v4 == config.rope { return (self, false) }
        let portable = try changingRoPE(base: config.rope.base, scaling: config.rope.scaling,
                                        maxPositionEmbeddings: config.maxPositionEmbeddings)
        return (portable, true)
    }
}
