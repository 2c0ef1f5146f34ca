/// The work of one (query tile, key tile, query head) pair in the backward pass: recompute P from the saved
/// log-sum-exp, then five 64 x 64 x headDim tile products.
extension AttentionBackward {
    /// A key tile of the current sweep: where its keys live and its dK, dV accumulators.
    struct KeyTile {
        let index: Int
        let start: Int
        let count: Int
        /// K^T and V^T of the tile, [headDim][64], and K, [64][headDim].
        let keysTransposed: UnsafePointer<Float>
        let valuesTransposed: UnsafePointer<Float>
        let keys: UnsafePointer<Float>
        let dK: UnsafeMutablePointer<Float>
        let dV: UnsafeMutablePointer<Float>
        /// No pair has been added yet: the first one overwrites the accumulators.
        var empty = true

        init(
            _ index: Int, document: Int, kvHead: Int, inputs: Inputs, shape: AttentionShape, tiles: DocumentTiles,
            accumulators: (dK: UnsafeMutablePointer<Float>, dV: UnsafeMutablePointer<Float>)
        ) {
            self.index = index
            (start, count) = tiles.tokens(document: document, tile: index)
            let global = tiles.firstTile[document] + index
            keysTransposed = inputs.keysTransposed.tile(global, head: kvHead)
            valuesTransposed = inputs.valuesTransposed.tile(global, head: kvHead)
            keys = inputs.keyRows.tile(global, head: kvHead)
            (dK, dV) = accumulators
        }
    }

    /// A query tile of one head: where its rows of q, dO and dq start (offset shared) and its lse and delta.
    struct QueryTile {
        let index: Int
        let count: Int
        let offset: Int
        let rowTerms: Int

        init(_ index: Int, document: Int, head: Int, inputs: Inputs, shape: AttentionShape, tiles: DocumentTiles) {
            self.index = index
            let (start, count) = tiles.tokens(document: document, tile: index)
            self.count = count
            offset = start * shape.queryRowStride + head * shape.headDim
            rowTerms = head * shape.tokens + start
        }
    }

    /// dV += P^T dO, dK += dS^T Q into the key tile's accumulators; dQ (+)= dS K into the scratch dQ rows
    /// (overwritten unless `accumulateDQ`). dS = P * (dP - delta) * scale, dP = dO V^T. Q and dO are read from the
    /// scratch copies of the query tile.
    func accumulatePair(query: QueryTile, key: inout KeyTile, inputs: Inputs, accumulateDQ: Bool, scratch: Scratch) {
        let size = DocumentTiles.size, headDim = shape.headDim, ld = headDim
        let p = scratch.probabilities.pointer, dS = scratch.scoreGradient.pointer
        let queries = scratch.queries, outputGradient = scratch.outputGradients
        multiplyTile(
            rows: query.count, columns: size, depth: headDim, a: .rows(queries, ld: ld),
            b: key.keysTransposed, ldb: size, c: p, ldc: size, accumulate: false)
        multiplyTile(
            rows: query.count, columns: size, depth: headDim, a: .rows(outputGradient, ld: ld),
            b: key.valuesTransposed, ldb: size, c: dS, ldc: size, accumulate: false)
        let diagonal = query.index == key.index
        let scoreScale = scale * log2e
        for row in 0..<query.count {
            OnlineSoftmax.probabilities(
                scores: p + row * size,
                visible: OnlineSoftmax.visibleColumns(row: row, diagonal: diagonal, keyCount: key.count),
                scoreScale: scoreScale, lse2: inputs.lse[query.rowTerms + row] * log2e)
            // Masked columns have P = 0, hence dS = 0.
            let rowDelta = SIMD16<Float>(repeating: inputs.delta[query.rowTerms + row])
            for column in stride(from: 0, to: size, by: 16) {
                let at = row * size + column
                storeVector(loadVector(p + at) * (loadVector(dS + at) - rowDelta) * scale, dS + at)
            }
        }
        // On the diagonal tile P and dS vanish above the diagonal: sum only the steps on or below it.
        multiplyTile(
            rows: key.count, columns: headDim, depth: query.count, a: .transposed(p, ld: size),
            b: outputGradient, ldb: ld, c: key.dV, ldc: headDim, accumulate: !key.empty,
            stepRange: diagonal ? .fromRow : .all)
        multiplyTile(
            rows: key.count, columns: headDim, depth: query.count, a: .transposed(dS, ld: size),
            b: queries, ldb: ld, c: key.dK, ldc: headDim, accumulate: !key.empty,
            stepRange: diagonal ? .fromRow : .all)
        multiplyTile(
            rows: query.count, columns: headDim, depth: key.count, a: .rows(dS, ld: size),
            b: key.keys, ldb: headDim, c: scratch.queryGradients, ldc: headDim, accumulate: accumulateDQ,
            stepRange: diagonal ? .throughRow : .all)
        key.empty = false
    }
}
