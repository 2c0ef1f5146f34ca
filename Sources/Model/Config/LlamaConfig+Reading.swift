extension LlamaConfig {
    /// Reads and validates a parsed config.json; errors name `file` and the offending key.
    public init(json: ConfigJSON, file: String? = nil) throws {
        do {
            try self.init(fields: try ConfigFields(json), json: json)
        } catch let error as ConfigError {
            throw error.inFile(file)
        }
    }

    private init(fields: ConfigFields, json: ConfigJSON) throws {
        typealias Key = CodingKeys
        func positiveInt(_ key: Key) throws -> Int? {
            try fields.int(key.rawValue).map { try fields.positive(key.rawValue, $0) }
        }
        func requiredPositiveInt(_ key: Key) throws -> Int {
            try fields.positive(key.rawValue, fields.required(key.rawValue, fields.int))
        }
        func tokenIds(_ key: Key, default fallback: [Int]) throws -> [Int] {
            // Absent means the class default; an explicit null means none.
            fields.keys.contains(key.rawValue) ? try fields.intList(key.rawValue) : fallback
        }

        let modelType = try fields.required(Key.modelType.rawValue, fields.string)
        guard let family = ModelFamily(rawValue: modelType) else {
            throw fields.error(Key.modelType.rawValue, .unsupportedModelType(modelType))
        }
        self.family = family
        warnings = []
        architectures = try fields.value(Key.architectures.rawValue).map { value in
            guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
                throw fields.error(Key.architectures.rawValue, .wrongType(expected: "a list of strings"))
            }
            return names
        } ?? []
        vocabSize = try requiredPositiveInt(.vocabSize)
        hiddenSize = try requiredPositiveInt(.hiddenSize)
        intermediateSize = try requiredPositiveInt(.intermediateSize)
        numHiddenLayers = try requiredPositiveInt(.numHiddenLayers)
        numAttentionHeads = try requiredPositiveInt(.numAttentionHeads)
        numKeyValueHeads = try positiveInt(.numKeyValueHeads) ?? family.defaultKeyValueHeads ?? numAttentionHeads
        let givenHeadDim = try positiveInt(.headDim)
        headDim = givenHeadDim ?? hiddenSize / numAttentionHeads
        hiddenAct = try fields.string(Key.hiddenAct.rawValue) ?? "silu"
        rmsNormEps = try fields.double(Key.rmsNormEps.rawValue).map { try fields.positive(Key.rmsNormEps.rawValue, $0) } ?? 1e-6
        maxPositionEmbeddings = try positiveInt(.maxPositionEmbeddings) ?? family.defaultMaxPositionEmbeddings
        tieWordEmbeddings = try fields.bool(Key.tieWordEmbeddings.rawValue) ?? false
        attentionBias = try fields.bool(Key.attentionBias.rawValue) ?? false
        mlpBias = try fields.bool(Key.mlpBias.rawValue) ?? false
        bosTokenIds = try tokenIds(.bosTokenId, default: family.defaultBosTokenIds)
        eosTokenIds = try tokenIds(.eosTokenId, default: family.defaultEosTokenIds)
        padTokenId = try fields.int(Key.padTokenId.rawValue)
        dtype = try fields.string(Key.dtype.rawValue) ?? fields.string(Key.torchDtype.rawValue)
        slidingWindow = try Self.slidingWindow(fields, family: family, layers: numHiddenLayers)

        // Derived head_dim needs an exact division; transformers 5's LlamaConfig demands it always.
        if (givenHeadDim == nil || family == .llama), hiddenSize % numAttentionHeads != 0 {
            throw fields.error(Key.hiddenSize.rawValue, .notDivisible(by: Key.numAttentionHeads.rawValue))
        }
        if numAttentionHeads % numKeyValueHeads != 0 {
            throw fields.error(Key.numAttentionHeads.rawValue, .notDivisible(by: Key.numKeyValueHeads.rawValue))
        }
        guard hiddenAct == "silu" else { throw fields.error(Key.hiddenAct.rawValue, .unsupportedActivation(hiddenAct)) }

        let read = try RoPEConfiguration.read(config: json, headDim: headDim, maxPositionEmbeddings: maxPositionEmbeddings, reading: .v5)
        rope = read.configuration
        if !read.unrecognizedKeys.isEmpty {
            warnings.append("unrecognized RoPE keys (ignored, as transformers does): \(read.unrecognizedKeys.joined(separator: ", "))")
        }
        warnings += Self.transformers4Difference(json: json, headDim: headDim, maxPositionEmbeddings: maxPositionEmbeddings, v5: rope)
        if family != .llama, attentionBias || mlpBias {
            warnings.append("attention_bias / mlp_bias are ignored for \(family.rawValue): transformers builds its layers with fixed biases")
        }
    }

    private static func slidingWindow(_ fields: ConfigFields, family: ModelFamily, layers: Int) throws -> SlidingWindow? {
        typealias Key = CodingKeys
        let key = Key.slidingWindow.rawValue
        let size = fields.keys.contains(key) ? try fields.int(key) : family.defaultSlidingWindow
        if let size, size <= 0 { throw fields.error(key, .notPositive) }
        switch family {
        case .llama:
            return nil
        case .mistral:
            return size.map { SlidingWindow(size: $0, layers: Array(0..<layers)) }
        case .qwen2:
            guard try fields.bool(Key.useSlidingWindow.rawValue) ?? false, let size else { return nil }
            // Explicit layer_types win; otherwise layers from max_window_layers on slide (transformers' rule).
            if let types = fields.value(Key.layerTypes.rawValue)?.arrayValue {
                return SlidingWindow(size: size, layers: types.indices.filter { types[$0].stringValue == "sliding_attention" })
            }
            let first = try fields.int(Key.maxWindowLayers.rawValue) ?? 28
            return SlidingWindow(size: size, layers: Array(Swift.min(Swift.max(first, 0), layers)..<layers))
        }
    }

    /// A warning when transformers 4 would run a different RoPE than transformers 5 (for example a
    /// config with only `rope_parameters`, which 4.x ignores, falling back to base 10000).
    private static func transformers4Difference(json: ConfigJSON, headDim: Int, maxPositionEmbeddings: Int, v5: RoPEConfiguration) -> [String] {
        do {
            let v4 = try RoPEConfiguration(config: json, headDim: headDim, maxPositionEmbeddings: maxPositionEmbeddings, reading: .v4)
            return v4 == v5 ? [] : ["transformers 4 reads this RoPE differently: \(v4.summary) instead of \(v5.summary)"]
        } catch {
            return ["transformers 4 cannot read this RoPE: \(error)"]
        }
    }
}

extension RoPEConfiguration {
    /// One line for messages: type, base and the main factor.
    public var summary: String {
        var text = "rope_type \(scaling.typeName), rope_theta \(base)"
        switch scaling {
        case .none: break
        case let .linear(factor), let .dynamic(factor): text += ", factor \(factor)"
        case let .yarn(yarn): text += ", factor \(yarn.factor), original \(yarn.originalMaxPositionEmbeddings)"
        case let .llama3(llama3): text += ", factor \(llama3.factor), original \(llama3.originalMaxPositionEmbeddings)"
        case let .longrope(longrope): text += ", factor \(longrope.factor), original \(longrope.originalMaxPositionEmbeddings)"
        }
        if partialRotaryFactor != 1 { text += ", partial_rotary_factor \(partialRotaryFactor)" }
        return text
    }
}
