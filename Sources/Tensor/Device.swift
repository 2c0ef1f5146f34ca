/// A compute backend: owns tensor memory and runs every op the Llama training step needs.
///
/// Model code holds an `any Device` and never names a concrete backend. Conventions for all ops:
/// - Outputs are passed in and written in place; "into" overwrites, "accumulate" adds (`+=`), so gradient
///   buffers can collect contributions from several uses. Allocating conveniences live in `Device+Conveniences`.
/// - Shapes are checked (precondition failures name the op). `[T, H, D]` means T tokens, H heads, D head_dim.
/// - Index arrays (token ids, labels, positions, cu_seqlens) are small and come from the host as `[Int32]`.
/// - Results are deterministic: the same inputs give the same bits on every run. `CPUDevice`'s own kernels give
///   the same bits for any thread count; its OpenBLAS matmul only for the same thread count.
/// - dtypes: each backend states which it computes in. `CPUDevice`: f32 everywhere; `matmul` and `copy` also
///   take bf16/f16 (matmul converts those operands to f32 temporaries).
public protocol Device: AnyObject, Sendable {
    /// Backend and its configuration, for logs and reports.
    var name: String { get }

    // MARK: Memory

    /// New storage of `byteCount` bytes, zero-filled when `zeroed`.
    func allocate(byteCount: Int, zeroed: Bool) -> any TensorStorage
    /// Copies `bytes` (already encoded as `tensor.dtype`, `tensor.byteCount` of them) into `tensor`.
    func write(_ bytes: UnsafeRawBufferPointer, to tensor: Tensor)
    /// Copies `tensor`'s bytes out to host memory (`tensor.byteCount` of them).
    func read(_ tensor: Tensor, into bytes: UnsafeMutableRawBufferPointer)
    /// Waits until all submitted work is done (a no-op for a synchronous backend).
    func synchronize()

    // MARK: Elementwise (any shapes with equal element counts)

    /// Sets every element to `value`.
    func fill(_ tensor: Tensor, with value: Float)
    /// destination = source, converting between dtypes (this is the cast).
    func copy(_ source: Tensor, to destination: Tensor)
    /// out = a + b (out may be a or b: the residual add).
    func add(_ a: Tensor, _ b: Tensor, into out: Tensor)
    /// y += alpha * x.
    func axpy(_ alpha: Float, _ x: Tensor, _ y: Tensor)
    /// tensor *= factor.
    func scale(_ tensor: Tensor, by factor: Float)
    /// Sum of the squares of all elements, accumulated in Double (for the global gradient norm).
    func sumOfSquares(_ tensor: Tensor) -> Double

    // MARK: Matrix products

    /// c = alpha * op(a) * op(b) + beta * c, where op transposes when asked. Each tensor is read as a matrix
    /// (`Tensor.matrixShape`: leading dimensions are rows). With x [T, in], W [out, in], y [T, out]:
    /// forward y = x W^T is `(x, false, W, true)`; dX = dY W is `(dY, false, W, false)`;
    /// dW += dY^T X is `(dY, true, x, false, beta: 1)`.
    func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool, into c: Tensor,
                alpha: Float, beta: Float)
    /// Adds `bias` [N] to every row of `tensor` [..., N].
    func addBias(_ bias: Tensor, to tensor: Tensor)
    /// dBias [N] += sum over the rows of dOut [..., N].
    func accumulateBiasGradient(_ dOut: Tensor, into dBias: Tensor)

    // MARK: Embedding

    /// out[t] = table[ids[t]]; table [V, D], out [T, D].
    func embeddingForward(table: Tensor, ids: [Int32], into out: Tensor)
    /// dTable[ids[t]] += dOut[t] for every t (repeated ids add up).
    func embeddingBackward(dOut: Tensor, ids: [Int32], accumulateInto dTable: Tensor)

    // MARK: RMSNorm (as transformers' LlamaRMSNorm: weight * (x * rsqrt(mean(x^2) + eps)))

    /// out [N, D] = normalized x [N, D] times weight [D]; saves rstd [N] = 1/sqrt(mean(x^2) + eps) for backward.
    func rmsNormForward(_ x: Tensor, weight: Tensor, epsilon: Float, into out: Tensor, rstd: Tensor)
    /// dx += d/dx and dWeight += d/dweight of sum(dOut * out); dx accumulates so the residual stream's
    /// gradient can be passed in.
    func rmsNormBackward(dOut: Tensor, x: Tensor, weight: Tensor, rstd: Tensor,
                         accumulateDX dx: Tensor, accumulateDWeight dWeight: Tensor)

    // MARK: RoPE (transformers' rotate_half layout: pairs (i, i + D/2), not interleaved)

    /// Fills table.cos/sin [T, D/2] with cos/sin(Float(position[t]) * invFreq[i]) * attentionScaling, computed in
    /// f32 as transformers does. Build once per sequence, reuse in every layer.
    func fillRotaryTable(_ table: RotaryTable, positions: [Int32], inverseFrequencies: [Float],
                         attentionScaling: Float)
    /// out [T, H, D] = x rotated: out1 = x1 cos - x2 sin, out2 = x2 cos + x1 sin (out may be x).
    func ropeForward(_ x: Tensor, table: RotaryTable, into out: Tensor)
    /// dx = the transposed rotation of dOut (dx may be dOut).
    func ropeBackward(dOut: Tensor, table: RotaryTable, into dx: Tensor)

    // MARK: SwiGLU MLP activation

    /// out = silu(gate) * up, silu(g) = g / (1 + e^-g).
    func swigluForward(gate: Tensor, up: Tensor, into out: Tensor)
    /// dGate, dUp = gradients of sum(dOut * out) (overwritten).
    func swigluBackward(dOut: Tensor, gate: Tensor, up: Tensor, dGate: Tensor, dUp: Tensor)

    // MARK: Varlen causal attention (grouped-query; no T x T matrix)

    /// Causal attention inside each document of a packed sequence; no token attends across documents.
    /// q [T, Hq, D], k and v [T, Hkv, D] (Hq a multiple of Hkv; query head h reads kv head h / (Hq / Hkv)),
    /// cuSeqlens [nDocs + 1] cumulative document offsets from 0 to T. Writes output [T, Hq, D] and
    /// lse [Hq, T] (f32 log-sum-exp of the scaled scores, kept for backward). `scale` multiplies q k^T.
    func attentionForward(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: [Int32], scale: Float,
                          output: Tensor, lse: Tensor)
    /// Gradients of sum(dOutput * output) with respect to q, k, v (overwritten), from the forward's
    /// output and lse.
    func attentionBackward(dOutput: Tensor, q: Tensor, k: Tensor, v: Tensor, output: Tensor, lse: Tensor,
                           cuSeqlens: [Int32], scale: Float, dq: Tensor, dk: Tensor, dv: Tensor)

    // MARK: Attention against a KV cache (inference: chunked prefill and decoding; no n x L matrix)

    /// Causal attention of `n` new queries against a KV cache that already holds their own keys and values:
    /// q [n, Hq, D] are the tokens at absolute positions start..<start+n; keys and values are the cache,
    /// [capacity, Hkv, D] token-major, whose first start + n rows are valid (rows past that are ignored, whatever
    /// they hold). Query i sees cache rows 0...start+i. Writes output [n, Hq, D]. `scale` multiplies q k^T.
    func cachedAttentionForward(q: Tensor, keys: Tensor, values: Tensor, start: Int, scale: Float, output: Tensor)

    // MARK: Loss

    /// Cross-entropy of a block of logits [n, V] (f32) against labels [n] (`ignoreIndex` rows count nothing).
    /// Returns the loss summed over valid rows and their count, and overwrites `logits` with
    /// gradScale * d(lossSum)/d(logits) (zero rows for ignored labels), so the LM head and loss can run block by
    /// block without ever holding T x V logits.
    func crossEntropy(logits: Tensor, labels: [Int32], gradScale: Float) -> CrossEntropyResult

    // MARK: Optimizer

    /// One AdamW step (torch.optim.AdamW semantics: decoupled weight decay, bias correction) on f32 master
    /// weights with f32 moments m and v. `step` counts from 1. The gradient is multiplied by `gradScale` first
    /// (global-norm clipping without an extra pass).
    func adamwStep(parameter: Tensor, gradient: Tensor, m: Tensor, v: Tensor, step: Int,
                   hyperparameters: AdamWHyperparameters, gradScale: Float)
}

/// Label value whose row is skipped by the loss (transformers' ignore_index).
public let ignoreIndex: Int32 = -100
