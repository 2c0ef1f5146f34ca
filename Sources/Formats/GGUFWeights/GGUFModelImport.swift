/// A Llama-family GGUF seen as a Hugging Face checkpoint: every tensor mapped to its HF name and
/// shape, dequantized to Float on request with llama.cpp's q/k row permutation undone — what
/// transformers' `from_pretrained(dir, gguf_file=…)` produces.
///
/// Opening checks the whole model against its config: every tensor name is known (unknown ones
/// are refused, not skipped), every block has the same parts, every shape is what the config
/// implies. Dequantization happens per tensor, when asked.
public final class GGUFModelImport: @unchecked Sendable {
    public let file: GGUFFile
    public let config: GGUFModelConfig
    /// Parameters in HF module order: embeddings, each layer, final norm, LM head (if untied).
    public let tensors: [GGUFMappedTensor]
    private let byName: [String: Int]

    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }

    public init(file: GGUFFile) throws(GGUFWeightsError) {
        let config = try GGUFModelConfig(file: file)
        self.file = file
        self.config = config
        tensors = try GGUFModelLayout(file: file, config: config).mappedTensors()
        byName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.hfName, $0) })
    }

    public func tensor(named hfName: String) -> GGUFMappedTensor? {
        byName[hfName].map { tensors[$0] }
    }

    /// Row-major values in HF layout (shape `tensor.shape`).
    public func floats(_ tensor: GGUFMappedTensor) throws(GGUFWeightsError) -> [Float] {
        let values = try file.floats(tensor.info)
        guard let heads = tensor.rotaryHeads else { return values }
        let rows = tensor.shape[0]
        return RotaryRowOrder.unpermute(values, rows: rows, rowLength: values.count / rows, heads: heads)
    }

    public func floats(named hfName: String) throws(GGUFWeightsError) -> [Float] {
        guard let t = tensor(named: hfName) else { throw GGUFWeightsError(path: file.path, tensor: hfName, reason: .missingTensor) }
        return try floats(t)
    }

    /// Every parameter as a tensor for `SafetensorsCheckpointWriter`, dequantized (and converted to
    /// `dtype`: F32, F16 or BF16) one at a time while it is written.
    public func tensorsToWrite(as dtype: SafetensorsDType = .f32) -> [SafetensorsTensorToWrite] {
        tensors.map { t in
            SafetensorsTensorToWrite(name: t.hfName, dtype: dtype, shape: t.shape) { out in
                let values = try self.floats(t)
                SafetensorsFloatEncoding.encode(values, as: dtype, into: out)
            }
        }
    }
}

/// One GGUF tensor as an HF parameter.
public struct GGUFMappedTensor: Sendable, Equatable {
    public let hfName: String
    public let ggufName: String
    /// HF (PyTorch) shape: the GGUF dimensions reversed, so [out_features, in_features].
    public let shape: [Int]
    public let type: GGMLType
    public let info: GGUFTensorInfo
    /// Set for llama q/k projections: the head count whose rotary row order must be undone.
    public let rotaryHeads: Int?
}

/// The expected tensors of a config, checked against the file.
struct GGUFModelLayout {
    let file: GGUFFile
    let config: GGUFModelConfig

    func error(_ tensor: String?, _ reason: GGUFWeightsError.Reason) -> GGUFWeightsError {
        GGUFWeightsError(path: file.path, tensor: tensor, reason: reason)
    }

    func mappedTensors() throws(GGUFWeightsError) -> [GGUFMappedTensor] {
        var blockParts = [Set<GGUFTensorNaming.BlockPart>](repeating: [], count: config.numHiddenLayers)
        var topLevel: [GGUFTensorNaming.Role: GGUFTensorInfo] = [:]
        var blocks: [Int: [GGUFTensorNaming.BlockPart: GGUFTensorInfo]] = [:]
        for info in file.tensors {
            guard let role = GGUFTensorNaming.role(of: info.name) else { throw error(info.name, .unknownTensor) }
            switch role {
            case .block(let layer, let part):
                guard layer < config.numHiddenLayers else {
                    throw error(info.name, .metadata("layer \(layer) but \(config.architecture).block_count is \(config.numHiddenLayers)"))
                }
                blockParts[layer].insert(part)
                blocks[layer, default: [:]][part] = info
            case .ropeFrequencies:
                continue
            default:
                topLevel[role] = info
            }
        }

        var out: [GGUFMappedTensor] = []
        out.append(try map(topLevel[.tokenEmbedding], "token_embd.weight", .tokenEmbedding, ggml: [config.hiddenSize, config.vocabSize]))
        let parts = blockParts.first ?? []
        for (layer, present) in blockParts.enumerated() {
            for part in GGUFTensorNaming.BlockPart.allCases where part.isRequired || parts.contains(part) {
                let name = "blk.\(layer).\(part.rawValue)"
                guard present.contains(part) else { throw error(name, .missingTensor) }
                out.append(try map(blocks[layer]?[part], name, .block(layer: layer, part: part), ggml: shape(of: part)))
            }
            if let extra = present.subtracting(parts).first {
                throw error("blk.\(layer).\(extra.rawValue)", .metadata("only some blocks have this tensor"))
            }
        }
        out.append(try map(topLevel[.finalNorm], "output_norm.weight", .finalNorm, ggml: [config.hiddenSize]))
        if !config.tieWordEmbeddings {
            out.append(try map(topLevel[.lmHead], "output.weight", .lmHead, ggml: [config.hiddenSize, config.vocabSize]))
        }
        return out
    }

    /// ggml order (ne0 first), as stored.
    private func shape(of part: GGUFTensorNaming.BlockPart) -> [Int] {
        let c = config
        let q = c.numAttentionHeads * c.headDim, kv = c.numKeyValueHeads * c.headDim
        switch part {
        case .attentionNorm, .ffnNorm, .outputBias: return [c.hiddenSize]
        case .queryWeight: return [c.hiddenSize, q]
        case .queryBias: return [q]
        case .keyWeight, .valueWeight: return [c.hiddenSize, kv]
        case .keyBias, .valueBias: return [kv]
        case .outputWeight: return [q, c.hiddenSize]
        case .gate, .up: return [c.hiddenSize, c.intermediateSize]
        case .down: return [c.intermediateSize, c.hiddenSize]
        }
    }

    private func map(
        _ info: GGUFTensorInfo?, _ name: String, _ role: GGUFTensorNaming.Role, ggml expected: [Int]
    ) throws(GGUFWeightsError) -> GGUFMappedTensor {
        guard let info else { throw error(name, .missingTensor) }
        // Trailing 1s are dropped by some writers and kept by others; compare without them.
        func trimmed(_ s: [Int]) -> [Int] { var s = s; while s.count > 1 && s.last == 1 { s.removeLast() }; return s }
        guard trimmed(info.shape) == expected else { throw error(name, .badShape(expected: expected, actual: info.shape)) }
        guard info.type.isDequantizable else { throw error(name, .unsupportedType(info.type)) }
        var heads: Int?
        if config.qkRowsPermuted, case .block(_, let part) = role {
            switch part {
            case .queryWeight, .queryBias: heads = config.numAttentionHeads
            case .keyWeight, .keyBias: heads = config.numKeyValueHeads
            default: break
            }
        }
        return GGUFMappedTensor(hfName: GGUFTensorNaming.hfName(of: role)!, ggufName: name, shape: expected.reversed(),
                                type: info.type, info: info, rotaryHeads: heads)
    }
}
