import Tensor

/// A Llama-family decoder on a device: the loss of a packed sequence and the gradient of every
/// parameter, with document-masked attention and the LM head + cross-entropy computed in blocks
/// of rows (T x vocab logits never exist at once).
///
/// Memory for a sequence of T tokens, all linear in T: without activation checkpointing each layer
/// keeps about T x (4d + 2(Hq + Hkv)D + 3I) floats for its backward; with checkpointing only its
/// input (T x d) is kept and the rest is recomputed one layer at a time during the backward pass.
/// The head adds `headBlockRows` x vocab floats of logits.
public final class LlamaModel: @unchecked Sendable {
    public let config: LlamaConfig
    public let device: any Device
    public let parameters: LlamaParameters
    /// Rows of logits computed at once by the LM head (ProLong's public code uses 2048).
    public var headBlockRows = 2048

    public init(config: LlamaConfig, parameters: LlamaParameters, device: any Device) throws {
        guard config.rope.partialRotaryFactor == 1 else {
            throw ConfigError(key: "partial_rotary_factor", .outOfRange("only 1.0 (the whole head rotates) is supported"))
        }
        self.config = config
        self.parameters = parameters
        self.device = device
    }

    /// Sum of the cross-entropy over the input's targets and their count. When `gradients` is given,
    /// adds gradScale x d(loss sum)/d(parameter) into it (pass 1 / tokens of the whole step for
    /// ProLong's token-averaged loss).
    public func loss(_ input: LlamaInput, gradients: LlamaParameters? = nil, gradScale: Float = 1,
                     checkpointing: Bool = false) -> CrossEntropyResult {
        let context = makeContext(input)
        var x = Tensor.uninitialized([input.count, config.hiddenSize], on: device)
        device.embeddingForward(table: parameters.embedding, ids: input.tokens, into: x)

        guard let gradients else {
            for layer in parameters.layers { x = LlamaLayer.forward(layer, input: x, context: context).output }
            return head(x, targets: input.targets, gradients: nil, gradScale: gradScale).result
        }
        var saved: [LlamaLayer.Activations] = []
        var layerInputs: [Tensor] = []
        for layer in parameters.layers {
            let (output, activations) = LlamaLayer.forward(layer, input: x, context: context)
            if checkpointing { layerInputs.append(x) } else { saved.append(activations) }
            x = output
        }
        let (result, dHidden) = head(x, targets: input.targets, gradients: gradients, gradScale: gradScale)
        var dx = dHidden!
        for l in parameters.layers.indices.reversed() {
            let activations = checkpointing
                ? LlamaLayer.forward(parameters.layers[l], input: layerInputs[l], context: context).saved
                : saved.removeLast()
            dx = LlamaLayer.backward(parameters.layers[l], saved: activations, dOutput: dx,
                                     gradients: gradients.layers[l], context: context)
        }
        device.embeddingBackward(dOut: dx, ids: input.tokens, accumulateInto: gradients.embedding)
        return result
    }

    /// Logits [T, vocab] of every position (for evaluation and tests; memory T x vocab).
    public func logits(_ input: LlamaInput) -> Tensor {
        let context = makeContext(input)
        var x = Tensor.uninitialized([input.count, config.hiddenSize], on: device)
        device.embeddingForward(table: parameters.embedding, ids: input.tokens, into: x)
        for layer in parameters.layers { x = LlamaLayer.forward(layer, input: x, context: context).output }
        let normed = Tensor.uninitialized(x.shape, on: device), rstd = Tensor.uninitialized([input.count], on: device)
        device.rmsNormForward(x, weight: parameters.finalNorm, epsilon: context.epsilon, into: normed, rstd: rstd)
        return device.matmul(normed, parameters.lmHead ?? parameters.embedding, transposeB: true)
    }

    private func makeContext(_ input: LlamaInput) -> LlamaLayer.Context {
        let frequencies = config.rope.frequencies(sequenceLength: (input.positions.max().map { Int($0) + 1 }) ?? 1)
        let rotary = device.rotaryTable(positions: input.positions, inverseFrequencies: frequencies.inverseFrequencies,
                                        attentionScaling: Float(frequencies.attentionFactor))
        return LlamaLayer.Context(device: device, config: config, rotary: rotary, documentOffsets: input.documentOffsets,
                                  epsilon: Float(config.rmsNormEps), scale: 1 / Float(config.headDim).squareRoot())
    }

    /// Final norm, LM head and cross-entropy in blocks of rows; with gradients, returns dL/d(hidden).
    private func head(_ x: Tensor, targets: [Int32], gradients: LlamaParameters?, gradScale: Float)
        -> (result: CrossEntropyResult, dHidden: Tensor?) {
        let t = x.shape[0], d = config.hiddenSize
        let epsilon = Float(config.rmsNormEps)
        let normed = Tensor.uninitialized([t, d], on: device), rstd = Tensor.uninitialized([t], on: device)
        device.rmsNormForward(x, weight: parameters.finalNorm, epsilon: epsilon, into: normed, rstd: rstd)
        let weight = parameters.lmHead ?? parameters.embedding
        let weightGradient = gradients.map { $0.lmHead ?? $0.embedding }
        let dNormed = gradients == nil ? nil : Tensor.uninitialized([t, d], on: device)
        var total = CrossEntropyResult(lossSum: 0, validCount: 0)
        let block = max(1, min(headBlockRows, t))
        let logitsBuffer = Tensor.uninitialized([block, config.vocabSize], on: device)
        for start in stride(from: 0, to: t, by: block) {
            let rows = start..<min(t, start + block)
            let logits = logitsBuffer.rows(0..<rows.count)
            let normedRows = normed.rows(rows)
            device.matmul(normedRows, transposeA: false, weight, transposeB: true, into: logits, alpha: 1, beta: 0)
            let part = device.crossEntropy(logits: logits, labels: Array(targets[rows]), gradScale: gradScale)
            total.lossSum += part.lossSum
            total.validCount += part.validCount
            guard let dNormed, let weightGradient else { continue }
            // logits now hold gradScale x d(loss sum)/d(logits).
            device.matmul(logits, transposeA: false, weight, transposeB: false, into: dNormed.rows(rows), alpha: 1, beta: 0)
            device.matmul(logits, transposeA: true, normedRows, transposeB: false, into: weightGradient, alpha: 1, beta: 1)
        }
        guard let dNormed, let gradients else { return (total, nil) }
        let dx = Tensor.zeros([t, d], on: device)
        device.rmsNormBackward(dOut: dNormed, x: x, weight: parameters.finalNorm, rstd: rstd,
                               accumulateDX: dx, accumulateDWeight: gradients.finalNorm)
        return (total, dx)
    }
}
