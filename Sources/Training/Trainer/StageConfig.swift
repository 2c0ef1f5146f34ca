import Model

extension TrainRecipe.RoPEChange {
    /// The model's config with this stage's RoPE: a new base alone (ProLong's ABF, plain RoPE), or a
    /// scaling in transformers' fields (UltraLong's yarn, ...), validated as transformers would.
    /// max_position_embeddings becomes the given value, else the largest of the model's, the stage's
    /// sequence length and, for a scaling, factor x original_max_position_embeddings (the length
    /// it extends to).
    func applied(to document: ConfigDocument, sequenceLength: Int) throws -> ConfigDocument {
        let current = document.config
        var extended = 0
        if case .number(let factor)? = scaling["factor"], case .number(let original)? = scaling["original_max_position_embeddings"] {
            extended = Int((factor * original).rounded())
        }
        let maxPositions = maxPositionEmbeddings ?? max(current.maxPositionEmbeddings, sequenceLength, extended)
        guard !scaling.isEmpty else {
            return try document.changingRoPE(base: theta ?? current.rope.base, scaling: theta == nil ? current.rope.scaling : .none,
                                             maxPositionEmbeddings: maxPositions)
        }
        var fields: [(key: String, value: ConfigJSON)] = [("rope_theta", .number("\(theta ?? current.rope.base)"))]
        for (key, value) in scaling.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .number(let x): fields.append((key, .number("\(x)")))
            case .text(let s): fields.append((key, .string(s)))
            case .numbers(let xs): fields.append((key, .array(xs.map { .number("\($0)") })))
            }
        }
        let parsed = try RoPEConfiguration(config: .object([("rope_parameters", .object(fields))]), headDim: current.headDim,
                                           maxPositionEmbeddings: maxPositions)
        return try document.changingRoPE(base: parsed.base, scaling: parsed.scaling, maxPositionEmbeddings: maxPositions)
    }
}
