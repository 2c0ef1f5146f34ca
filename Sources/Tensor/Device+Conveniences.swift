// Allocating and composite forms of the Device requirements, written once for every backend.

extension Device {
    /// A copy of `tensor` converted to `dtype`.
    public func cast(_ tensor: Tensor, to dtype: DType) -> Tensor {
        let out = Tensor.uninitialized(tensor.shape, dtype: dtype, on: self)
        copy(tensor, to: out)
        return out
    }

    /// out = op(a) op(b) in a new f32 tensor of shape [rows of op(a), columns of op(b)].
    public func matmul(_ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        let rows = transposeA ? a.matrixShape.columns : a.matrixShape.rows
        let columns = transposeB ? b.matrixShape.rows : b.matrixShape.columns
        let c = Tensor.uninitialized([rows, columns], on: self)
        matmul(a, transposeA: transposeA, b, transposeB: transposeB, into: c, alpha: 1, beta: 0)
        return c
    }

    /// y [..., out] = x [..., in] W^T (+ bias), with W [out, in] as stored by transformers' nn.Linear.
    public func linearForward(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, into y: Tensor) {
        matmul(x, transposeA: false, weight, transposeB: true, into: y, alpha: 1, beta: 0)
        if let bias { addBias(bias, to: y) }
    }

    /// Backward of `linearForward`: dX = dY W (overwritten, or added when `accumulateDX`, e.g. for q/k/v sharing
    /// an input), dWeight += dY^T x, dBias += column sums of dY. Pass nil for gradients not needed.
    public func linearBackward(dY: Tensor, x: Tensor, weight: Tensor, dX: Tensor?, accumulateDX: Bool = false,
                               dWeight: Tensor?, dBias: Tensor? = nil) {
        if let dX { matmul(dY, transposeA: false, weight, transposeB: false, into: dX, alpha: 1, beta: accumulateDX ? 1 : 0) }
        if let dWeight { matmul(dY, transposeA: true, x, transposeB: false, into: dWeight, alpha: 1, beta: 1) }
        if let dBias { accumulateBiasGradient(dY, into: dBias) }
    }

    /// Token ids as stored in MDS shards (uint32); every id must be below 2^31.
    public func embeddingForward(table: Tensor, ids: [UInt32], into out: Tensor) {
        embeddingForward(table: table, ids: ids.map { Int32(truncatingIfNeeded: $0) }, into: out)
    }

    /// Token ids as stored in MDS shards (uint32).
    public func embeddingBackward(dOut: Tensor, ids: [UInt32], accumulateInto dTable: Tensor) {
        embeddingBackward(dOut: dOut, ids: ids.map { Int32(truncatingIfNeeded: $0) }, accumulateInto: dTable)
    }

    /// A new rotary table for `positions` (see `fillRotaryTable`).
    public func rotaryTable(positions: [Int32], inverseFrequencies: [Float], attentionScaling: Float = 1) -> RotaryTable {
        let shape = [positions.count, inverseFrequencies.count]
        let table = RotaryTable(cos: .uninitialized(shape, on: self), sin: .uninitialized(shape, on: self))
        fillRotaryTable(table, positions: positions, inverseFrequencies: inverseFrequencies,
                        attentionScaling: attentionScaling)
        return table
    }

    /// Attention forward into new tensors: output [T, Hq, D] and lse [Hq, T] (f32).
    public func attentionForward(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: [Int32],
                                 scale: Float) -> (output: Tensor, lse: Tensor) {
        let output = Tensor.uninitialized(q.shape, dtype: q.dtype, on: self)
        let lse = Tensor.uninitialized([q.shape[1], q.shape[0]], on: self)
        attentionForward(q: q, k: k, v: v, cuSeqlens: cuSeqlens, scale: scale, output: output, lse: lse)
        return (output, lse)
    }

    /// Attention backward into new tensors shaped like q, k and v.
    public func attentionBackward(dOutput: Tensor, q: Tensor, k: Tensor, v: Tensor, output: Tensor, lse: Tensor,
                                  cuSeqlens: [Int32], scale: Float) -> (dq: Tensor, dk: Tensor, dv: Tensor) {
        let dq = Tensor.uninitialized(q.shape, dtype: q.dtype, on: self)
        let dk = Tensor.uninitialized(k.shape, dtype: k.dtype, on: self)
        let dv = Tensor.uninitialized(v.shape, dtype: v.dtype, on: self)
        attentionBackward(dOutput: dOutput, q: q, k: k, v: v, output: output, lse: lse, cuSeqlens: cuSeqlens,
                          scale: scale, dq: dq, dk: dk, dv: dv)
        return (dq, dk, dv)
    }

    /// Sets every element to zero.
    public func zero(_ tensor: Tensor) { fill(tensor, with: 0) }
}
