import Tensor

extension LlamaLayer {
    /// Inference forward of one layer over the rows of several sequences' chunks: the projections and MLP run on all
    /// rows at once; each chunk's keys and values go straight into its cache rows and its queries attend to that
    /// cache. Nothing is kept for a backward pass.
    static func forwardCached(_ w: LlamaParameters.Layer, index: Int, input x: Tensor, chunks: [CachedChunk],
                              context c: Context) -> Tensor {
        let device = c.device, config = c.config
        let t = x.shape[0], d = config.hiddenSize, hd = config.headDim
        let hq = config.numAttentionHeads, hkv = config.numKeyValueHeads, i = config.intermediateSize

        let normed = Tensor.uninitialized([t, d], on: device), rstd = Tensor.uninitialized([t], on: device)
        device.rmsNormForward(x, weight: w.inputNorm, epsilon: c.epsilon, into: normed, rstd: rstd)
        let query = Tensor.uninitialized([t, hq, hd], on: device)
        device.linearForward(normed, weight: w.query, bias: w.queryBias, into: query.reshaped([t, hq * hd]))
        device.ropeForward(query, table: c.rotary, into: query)
        let attention = Tensor.uninitialized([t, hq, hd], on: device)
        var row = 0
        for chunk in chunks {
            let rows = row..<row + chunk.tokens.count
            let start = chunk.cache.length
            let cacheRows = start..<start + chunk.tokens.count
            let key = chunk.cache.keys(layer: index).rows(cacheRows), value = chunk.cache.values(layer: index).rows(cacheRows)
            let chunkNormed = normed.rows(rows)
            device.linearForward(chunkNormed, weight: w.key, bias: w.keyBias, into: key.reshaped([rows.count, hkv * hd]))
            device.linearForward(chunkNormed, weight: w.value, bias: w.valueBias, into: value.reshaped([rows.count, hkv * hd]))
            device.ropeForward(key, table: RotaryTable(cos: c.rotary.cos.rows(rows), sin: c.rotary.sin.rows(rows)), into: key)
            device.cachedAttentionForward(q: query.rows(rows), keys: chunk.cache.keys(layer: index),
                                          values: chunk.cache.values(layer: index), start: start, scale: c.scale,
                                          output: attention.rows(rows))
            row = rows.upperBound
        }
        let middle = Tensor.uninitialized([t, d], on: device)
        device.linearForward(attention.reshaped([t, hq * hd]), weight: w.output, bias: w.outputBias, into: middle)
        device.add(middle, x, into: middle)

        device.rmsNormForward(middle, weight: w.postAttentionNorm, epsilon: c.epsilon, into: normed, rstd: rstd)
        let gate = Tensor.uninitialized([t, i], on: device), up = Tensor.uninitialized([t, i], on: device)
        device.linearForward(normed, weight: w.gate, bias: w.gateBias, into: gate)
        device.linearForward(normed, weight: w.up, bias: w.upBias, into: up)
        device.swigluForward(gate: gate, up: up, into: gate)
        let output = Tensor.uninitialized([t, d], on: device)
        device.linearForward(gate, weight: w.down, bias: w.downBias, into: output)
        device.add(output, middle, into: output)
        return output
    }
}
