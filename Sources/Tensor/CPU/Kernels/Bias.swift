// Row-broadcast bias (Qwen2's q/k/v projections) and its gradient.

extension CPUDevice {
    public func addBias(_ bias: Tensor, to tensor: Tensor) {
        let (rows, columns) = tensor.matrixShape
        precondition(bias.elementCount == columns, "addBias: bias \(bias.shape) for rows of \(columns) in \(tensor.shape)")
        let pb = bias.f32("addBias"), pt = tensor.f32("addBias")
        pool.forEachChunk(rows, chunk: Grain.rows(rowLength: columns)) { r in
            for row in r { addInPlace(pb, pt + row * columns, columns) }
        }
    }

    public func accumulateBiasGradient(_ dOut: Tensor, into dBias: Tensor) {
        let (rows, columns) = dOut.matrixShape
        precondition(dBias.elementCount == columns, "accumulateBiasGradient: dBias \(dBias.shape) for rows of \(columns) in \(dOut.shape)")
        let pd = dOut.f32("accumulateBiasGradient")
        reduceRowsInFixedChunks(rows: rows, columns: columns, pool: pool, into: dBias.f32("accumulateBiasGradient")) { r, partial in
            for row in r { addInPlace(pd + row * columns, partial, columns) }
        }
    }
}
