/// Decoding reads the same rules as `init(json:)`; encoding writes every typed field under its
/// config.json name, with RoPE in the form that transformers 4 and 5 both read alike.
extension LlamaConfig: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(json: ConfigJSON(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// This config as a config.json object (keys sorted as transformers writes them).
    public var json: ConfigJSON {
        typealias Key = CodingKeys
        func tokens(_ ids: [Int]) -> ConfigJSON {
            ids.count == 1 ? .integer(ids[0]) : ids.isEmpty ? .null : .array(ids.map(ConfigJSON.integer))
        }
        var entries: [(key: String, value: ConfigJSON)] = [
            (Key.modelType.rawValue, .string(family.rawValue)),
            (Key.architectures.rawValue, .array(architectures.map(ConfigJSON.string))),
            (Key.vocabSize.rawValue, .integer(vocabSize)),
            (Key.hiddenSize.rawValue, .integer(hiddenSize)),
            (Key.intermediateSize.rawValue, .integer(intermediateSize)),
            (Key.numHiddenLayers.rawValue, .integer(numHiddenLayers)),
            (Key.numAttentionHeads.rawValue, .integer(numAttentionHeads)),
            (Key.numKeyValueHeads.rawValue, .integer(numKeyValueHeads)),
            (Key.headDim.rawValue, .integer(headDim)),
            (Key.hiddenAct.rawValue, .string(hiddenAct)),
            (Key.rmsNormEps.rawValue, .float(rmsNormEps)),
            (Key.maxPositionEmbeddings.rawValue, .integer(maxPositionEmbeddings)),
            (Key.tieWordEmbeddings.rawValue, .bool(tieWordEmbeddings)),
            (Key.bosTokenId.rawValue, tokens(bosTokenIds)),
            (Key.eosTokenId.rawValue, tokens(eosTokenIds)),
            (Key.padTokenId.rawValue, padTokenId.map(ConfigJSON.integer) ?? .null),
        ]
        if family == .llama {
            entries.append((Key.attentionBias.rawValue, .bool(attentionBias)))
            entries.append((Key.mlpBias.rawValue, .bool(mlpBias)))
        }
        if let dtype {
            entries.append((Key.dtype.rawValue, .string(dtype)))
            entries.append((Key.torchDtype.rawValue, .string(dtype)))
        }
        switch family {
        case .llama: break
        case .mistral:
            entries.append((Key.slidingWindow.rawValue, slidingWindow.map { .integer($0.size) } ?? .null))
        case .qwen2:
            entries.append((Key.useSlidingWindow.rawValue, .bool(slidingWindow != nil)))
            entries.append((Key.slidingWindow.rawValue, slidingWindow.map { .integer($0.size) } ?? .null))
            if let window = slidingWindow {
                let types = (0..<numHiddenLayers).map { ConfigJSON.string(window.layers.contains($0) ? "sliding_attention" : "full_attention") }
                entries.append((Key.layerTypes.rawValue, .array(types)))
            }
        }
        entries += rope.configKeys
        return .object(entries.sorted { ConfigJSON.pythonOrder($0.key, $1.key) })
    }
}
