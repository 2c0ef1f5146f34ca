// Matrix products through OpenBLAS sgemm; bf16/f16 operands go through f32 temporaries.

extension CPUDevice {
    public func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool, into c: Tensor,
                       alpha: Float, beta: Float) {
        let (aRows, aColumns) = a.matrixShape, (bRows, bColumns) = b.matrixShape, (cRows, cColumns) = c.matrixShape
        let m = transposeA ? aColumns : aRows, k = transposeA ? aRows : aColumns
        let kB = transposeB ? bColumns : bRows, n = transposeB ? bRows : bColumns
        precondition(k == kB && cRows == m && cColumns == n,
                     "matmul: op(a) \(m)x\(k) times op(b) \(kB)x\(n) into c \(cRows)x\(cColumns) (a \(a.shape)\(transposeA ? "^T" : ""), b \(b.shape)\(transposeB ? "^T" : ""), c \(c.shape))")
        withF32(a) { pa in
            withF32(b) { pb in
                withF32Output(c, readsOutput: beta != 0) { pc in
                    if k == 0 {
                        if beta == 0 { pc.initialize(repeating: 0, count: m * n) } else { scaleInPlace(pc, beta, m * n) }
                        return
                    }
                    BLAS.sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                               a: pa, lda: max(1, aColumns), b: pb, ldb: max(1, bColumns), beta: beta,
                               c: pc, ldc: max(1, n))
                }
            }
        }
    }

    /// Runs `body` on the tensor's f32 elements, converting to a temporary first if it is bf16/f16.
    func withF32<R>(_ t: Tensor, _ body: (UnsafePointer<Float>) -> R) -> R {
        if t.dtype == .f32 { return body(t.f32("matmul")) }
        let tmp = Tensor.uninitialized(t.shape, on: self)
        copy(t, to: tmp)
        return body(tmp.f32("matmul"))
    }

    /// Runs `body` on f32 memory for an output; for a bf16/f16 output, on a temporary converted back afterwards.
    func withF32Output(_ t: Tensor, readsOutput: Bool, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        if t.dtype == .f32 { return body(t.f32("matmul")) }
        let tmp = Tensor.uninitialized(t.shape, on: self)
        if readsOutput { copy(t, to: tmp) }
        body(tmp.f32("matmul"))
        copy(tmp, to: t)
    }
}
