import Tensor

/// New tokens to run for one sequence: they are appended to `cache` at positions cache.length..<cache.length+count.
public struct CachedChunk: @unchecked Sendable {
    public var cache: KVCache
    public var tokens: [Int32]
    /// Sequence length for dynamic-NTK / longrope frequencies (transformers' max(position_ids) + 1 of the forward
    /// call): pass the whole prompt's length for every chunk of a prefill so that chunked prefill equals prefill at
    /// once; nil means this chunk's last position + 1 (what a decoding step uses).
    public var ropeLength: Int?

    public init(cache: KVCache, tokens: [Int32], ropeLength: Int? = nil) {
        self.cache = cache
        self.tokens = tokens
        self.ropeLength = ropeLength
    }
}

extension LlamaModel {
    /// Runs the chunks of one or more sequences through the model in one pass (the linear layers see all rows
    /// together, so a batch of decoding sequences reads each weight once), appending their keys and values to their
    /// caches. Returns the final-normed hidden states [total rows, hidden] in chunk order; turn rows into logits with
    /// `logits(normedHidden:)`. Memory: the chunks' activations (rows x (hidden + q/k/v + 3 x intermediate)) plus
    /// what the caches grow by.
    public func forward(_ chunks: [CachedChunk]) -> Tensor {
        precondition(!chunks.isEmpty && chunks.allSatisfy { !$0.tokens.isEmpty }, "forward: every chunk needs tokens")
        precondition(Set(chunks.map { ObjectIdentifier($0.cache) }).count == chunks.count, "forward: one chunk per cache")
        let rows = chunks.reduce(0) { $0 + $1.tokens.count }
        for chunk in chunks { chunk.cache.reserve(chunk.tokens.count) }
        let rotary = rotaryTable(for: chunks, rows: rows)
        var x = Tensor.uninitialized([rows, config.hiddenSize], on: device)
        device.embeddingForward(table: parameters.embedding, ids: chunks.flatMap(\.tokens), into: x)
        let context = LlamaLayer.Context(device: device, config: config, rotary: rotary, documentOffsets: [0, Int32(rows)],
                                         epsilon: Float(config.rmsNormEps), scale: 1 / Float(config.headDim).squareRoot())
        for (index, layer) in parameters.layers.enumerated() {
            x = LlamaLayer.forwardCached(layer, index: index, input: x, chunks: chunks, context: context)
        }
        for chunk in chunks { chunk.cache.commit(chunk.tokens) }
        let normed = Tensor.uninitialized([rows, config.hiddenSize], on: device), rstd = Tensor.uninitialized([rows], on: device)
        device.rmsNormForward(x, weight: parameters.finalNorm, epsilon: context.epsilon, into: normed, rstd: rstd)
        return normed
    }

    /// Logits [rows, vocab] of final-normed hidden rows (`forward`'s result or some of its rows).
    public func logits(normedHidden: Tensor) -> Tensor {
        device.matmul(normedHidden, parameters.lmHead ?? parameters.embedding, transposeB: true)
    }

    /// Cos/sin of every row's position, with each chunk's own frequencies when they differ (dynamic NTK).
    private func rotaryTable(for chunks: [CachedChunk], rows: Int) -> RotaryTable {
        var positions: [Int32] = []
        positions.reserveCapacity(rows)
        var frequencyRuns: [(frequencies: RoPEFrequencies, rows: Range<Int>)] = []
        for chunk in chunks {
            let start = chunk.cache.length, end = start + chunk.tokens.count
            let frequencies = config.rope.frequencies(sequenceLength: max(chunk.ropeLength ?? end, end))
            let range = positions.count..<positions.count + chunk.tokens.count
            if let last = frequencyRuns.last, last.frequencies == frequencies {
                frequencyRuns[frequencyRuns.count - 1].rows = last.rows.lowerBound..<range.upperBound
            } else {
                frequencyRuns.append((frequencies, range))
            }
            positions += (start..<end).map { Int32($0) }
        }
        let half = config.headDim / 2
        let table = RotaryTable(cos: .uninitialized([rows, half], on: device), sin: .uninitialized([rows, half], on: device))
        for run in frequencyRuns {
            let part = RotaryTable(cos: table.cos.rows(run.rows), sin: table.sin.rows(run.rows))
            device.fillRotaryTable(part, positions: Array(positions[run.rows]), inverseFrequencies: run.frequencies.inverseFrequencies,
                                   attentionScaling: Float(run.frequencies.attentionFactor))
        }
        return table
    }
}
