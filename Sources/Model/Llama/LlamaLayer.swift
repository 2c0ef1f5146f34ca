import Tensor

/// One decoder layer of a Llama-family model, forward and backward written out:
/// h = x + o(attn(rope(q(n1(x))), rope(k(n1(x))), v(n1(x)))); out = h + down(silu(gate(n2(h))) * up(n2(h))).
struct LlamaLayer {
    /// What the backward pass reads. Every tensor is [T, something]: memory linear in T.
    struct Activations {
        var input: Tensor, normed1: Tensor, rstd1: Tensor
        var query: Tensor, key: Tensor, value: Tensor
        var attention: Tensor, lse: Tensor
        var middle: Tensor, normed2: Tensor, rstd2: Tensor
        var gate: Tensor, up: Tensor, activation: Tensor
    }

    /// Per-sequence constants every layer shares.
    struct Context {
        let device: any Device
        let config: LlamaConfig
        let rotary: RotaryTable
        let documentOffsets: [Int32]
        let epsilon: Float
        let scale: Float
    }

    static func forward(_ w: LlamaParameters.Layer, input x: Tensor, context c: Context) -> (output: Tensor, saved: Activations) {
        let device = c.device, config = c.config
        let t = x.shape[0], d = config.hiddenSize, hd = config.headDim
        let hq = config.numAttentionHeads, hkv = config.numKeyValueHeads, i = config.intermediateSize

        let normed1 = Tensor.uninitialized([t, d], on: device), rstd1 = Tensor.uninitialized([t], on: device)
        device.rmsNormForward(x, weight: w.inputNorm, epsilon: c.epsilon, into: normed1, rstd: rstd1)
        let query = Tensor.uninitialized([t, hq, hd], on: device)
        let key = Tensor.uninitialized([t, hkv, hd], on: device), value = Tensor.uninitialized([t, hkv, hd], on: device)
        device.linearForward(normed1, weight: w.query, bias: w.queryBias, into: query.reshaped([t, hq * hd]))
        device.linearForward(normed1, weight: w.key, bias: w.keyBias, into: key.reshaped([t, hkv * hd]))
        device.linearForward(normed1, weight: w.value, bias: w.valueBias, into: value.reshaped([t, hkv * hd]))
        device.ropeForward(query, table: c.rotary, into: query)
        device.ropeForward(key, table: c.rotary, into: key)
        let (attention, lse) = device.attentionForward(q: query, k: key, v: value, cuSeqlens: c.documentOffsets, scale: c.scale)

        let middle = Tensor.uninitialized([t, d], on: device)
        device.linearForward(attention.reshaped([t, hq * hd]), weight: w.output, bias: w.outputBias, into: middle)
        device.add(middle, x, into: middle)

        let normed2 = Tensor.uninitialized([t, d], on: device), rstd2 = Tensor.uninitialized([t], on: device)
        device.rmsNormForward(middle, weight: w.postAttentionNorm, epsilon: c.epsilon, into: normed2, rstd: rstd2)
        let gate = Tensor.uninitialized([t, i], on: device), up = Tensor.uninitialized([t, i], on: device)
        device.linearForward(normed2, weight: w.gate, bias: w.gateBias, into: gate)
        device.linearForward(normed2, weight: w.up, bias: w.upBias, into: up)
        let activation = Tensor.uninitialized([t, i], on: device)
        device.swigluForward(gate: gate, up: up, into: activation)
        let output = Tensor.uninitialized([t, d], on: device)
        device.linearForward(activation, weight: w.down, bias: w.downBias, into: output)
        device.add(output, middle, into: output)

        return (output, Activations(input: x, normed1: normed1, rstd1: rstd1, query: query, key: key, value: value,
                                    attention: attention, lse: lse, middle: middle, normed2: normed2, rstd2: rstd2,
                                    gate: gate, up: up, activation: activation))
    }

    /// Takes dL/d(output) and returns dL/d(input) in the same buffer (the residual path carries it);
    /// adds every weight's gradient into `g`.
    static func backward(_ w: LlamaParameters.Layer, saved a: Activations, dOutput: Tensor, gradients g: LlamaParameters.Layer,
                         context c: Context) -> Tensor {
        let device = c.device, config = c.config
        let t = dOutput.shape[0], d = config.hiddenSize, hd = config.headDim
        let hq = config.numAttentionHeads, hkv = config.numKeyValueHeads, i = config.intermediateSize

        // MLP: out = middle + down(act).
        let dActivation = Tensor.uninitialized([t, i], on: device)
        device.linearBackward(dY: dOutput, x: a.activation, weight: w.down, dX: dActivation, dWeight: g.down, dBias: g.downBias)
        let dGate = Tensor.uninitialized([t, i], on: device), dUp = Tensor.uninitialized([t, i], on: device)
        device.swigluBackward(dOut: dActivation, gate: a.gate, up: a.up, dGate: dGate, dUp: dUp)
        let dNormed2 = Tensor.uninitialized([t, d], on: device)
        device.linearBackward(dY: dGate, x: a.normed2, weight: w.gate, dX: dNormed2, dWeight: g.gate, dBias: g.gateBias)
        device.linearBackward(dY: dUp, x: a.normed2, weight: w.up, dX: dNormed2, accumulateDX: true, dWeight: g.up, dBias: g.upBias)
        let dMiddle = dOutput  // the residual: dMiddle = dOutput + d(norm2 path)
        device.rmsNormBackward(dOut: dNormed2, x: a.middle, weight: w.postAttentionNorm, rstd: a.rstd2,
                               accumulateDX: dMiddle, accumulateDWeight: g.postAttentionNorm)

        // Attention: middle = input + o(attention).
        let dAttention = Tensor.uninitialized([t, hq, hd], on: device)
        device.linearBackward(dY: dMiddle, x: a.attention.reshaped([t, hq * hd]), weight: w.output,
                              dX: dAttention.reshaped([t, hq * hd]), dWeight: g.output, dBias: g.outputBias)
        let (dQuery, dKey, dValue) = device.attentionBackward(dOutput: dAttention, q: a.query, k: a.key, v: a.value,
                                                              output: a.attention, lse: a.lse, cuSeqlens: c.documentOffsets, scale: c.scale)
        device.ropeBackward(dOut: dQuery, table: c.rotary, into: dQuery)
        device.ropeBackward(dOut: dKey, table: c.rotary, into: dKey)
        let dNormed1 = Tensor.uninitialized([t, d], on: device)
        device.linearBackward(dY: dQuery.reshaped([t, hq * hd]), x: a.normed1, weight: w.query, dX: dNormed1,
                              dWeight: g.query, dBias: g.queryBias)
        device.linearBackward(dY: dKey.reshaped([t, hkv * hd]), x: a.normed1, weight: w.key, dX: dNormed1, accumulateDX: true,
                              dWeight: g.key, dBias: g.keyBias)
        device.linearBackward(dY: dValue.reshaped([t, hkv * hd]), x: a.normed1, weight: w.value, dX: dNormed1, accumulateDX: true,
                              dWeight: g.value, dBias: g.valueBias)
        let dInput = dMiddle
        device.rmsNormBackward(dOut: dNormed1, x: a.input, weight: w.inputNorm, rstd: a.rstd1,
                               accumulateDX: dInput, accumulateDWeight: g.inputNorm)
        return dInput
    }
}
