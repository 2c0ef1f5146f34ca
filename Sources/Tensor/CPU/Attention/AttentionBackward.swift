/// Flash-attention backward over one packed sequence; see `VarlenAttention.backward` for the contract.
///
/// One task = (document, kv head, key chunk). It walks its key tiles a few at a time (a sweep); for each sweep it
/// visits every query head of the group and every query tile at or below the diagonal, recomputes P from the
/// saved log-sum-exp, and accumulates dK and dV of the sweep's key tiles in worker buffers (heads in a fixed order),
/// so each dk/dv row has one writer. dQ rows receive contributions from every key tile; how the key chunks keep
/// that deterministic is in BackwardKeyChunks.swift. Nothing is ever added by two threads, so results do not
/// depend on the thread count.
struct AttentionBackward {
    let shape: AttentionShape
    let tiles: DocumentTiles
    let scale: Float
    let pool: WorkerPool
    let workspace: AttentionWorkspace
    var keyChunks = Self.defaultKeyChunks

    struct Task {
        var document: Int
        var kvHead: Int
        var chunk: Int
        var keyTiles: Range<Int>
        var cost: Int
    }

    /// Per-worker buffers: P and dS tiles [64][64]; the current query tile's Q, dO and dQ rows [64][headDim];
    /// dK and dV accumulators [64][headDim] for each key tile of a sweep.
    struct Scratch {
        let probabilities: ScratchBuffer
        let scoreGradient: ScratchBuffer
        let queryRows: ScratchBuffer
        let accumulators: ScratchBuffer
        let headDim: Int

        init(headDim: Int) {
            self.headDim = headDim
            probabilities = ScratchBuffer(count: DocumentTiles.size * DocumentTiles.size)
            scoreGradient = ScratchBuffer(count: DocumentTiles.size * DocumentTiles.size)
            queryRows = ScratchBuffer(count: 3 * DocumentTiles.size * headDim)
            accumulators = ScratchBuffer(count: 2 * keyTilesPerSweep * DocumentTiles.size * headDim)
        }

        /// Contiguous copies of the current query tile's rows: Q, dO and the dQ being accumulated.
        var queries: UnsafeMutablePointer<Float> { queryRows.pointer }
        var outputGradients: UnsafeMutablePointer<Float> { queryRows.pointer + DocumentTiles.size * headDim }
        var queryGradients: UnsafeMutablePointer<Float> { queryRows.pointer + 2 * DocumentTiles.size * headDim }

        /// dK and dV accumulators of the sweep's key tile `index`.
        func keyAccumulators(_ index: Int) -> (dK: UnsafeMutablePointer<Float>, dV: UnsafeMutablePointer<Float>) {
            let floats = DocumentTiles.size * headDim
            return (accumulators.pointer + 2 * index * floats, accumulators.pointer + (2 * index + 1) * floats)
        }
    }

    struct Inputs {
        var dO: UnsafePointer<Float>
        var q: UnsafePointer<Float>
        var k: UnsafePointer<Float>
        var lse: UnsafePointer<Float>
        /// rowsum(dO * O) per [queryHead, token].
        var delta: UnsafePointer<Float>
        var keysTransposed: PackedKeyTiles
        var valuesTransposed: PackedKeyTiles
        var keyRows: PackedKeyTiles
    }

    func run(
        dO: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        o: UnsafePointer<Float>, lse: UnsafePointer<Float>,
        dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>
    ) {
        let delta = workspace.floats(WorkspaceSlot.delta, count: max(shape.tokens * shape.queryHeads, 1))
        computeDelta(dO: dO, o: o, into: delta)
        // Partial dq of chunks 1, 2, ...: only the rows from each chunk's first key to its document's end are
        // written, and pages never written are never faulted in.
        let dqPartials = (1..<keyChunks).map { chunk in
            workspace.floats(WorkspaceSlot.firstQueryGradientPartial + chunk - 1, count: max(shape.queryCount, 1))
        }
        let packedFloats = PackedKeyTiles.floatCount(shape: shape, tiles: tiles)
        func pack(_ source: UnsafePointer<Float>, _ layout: PackedKeyTiles.Layout, slot: Int) -> PackedKeyTiles {
            PackedKeyTiles(
                from: source, layout: layout, shape: shape, tiles: tiles, pool: pool,
                into: workspace.floats(slot, count: packedFloats))
        }
        let inputs = Inputs(
            dO: dO, q: q, k: k, lse: lse, delta: delta,
            keysTransposed: pack(k, .transposed, slot: WorkspaceSlot.keysTransposed),
            valuesTransposed: pack(v, .transposed, slot: WorkspaceSlot.valuesTransposed),
            keyRows: pack(k, .rows, slot: WorkspaceSlot.keyRows))

        var tasks: [Task] = []
        for document in tiles.documents.indices {
            let n = tiles.tileCount(document: document)
            let boundaries = Self.chunkBoundaries(tileCount: n, chunks: keyChunks)
            for chunk in 0..<keyChunks where boundaries[chunk] < boundaries[chunk + 1] {
                let range = boundaries[chunk]..<boundaries[chunk + 1]
                let cost = range.reduce(0) { $0 + n - $1 } * shape.groupSize
                for kvHead in 0..<shape.kvHeads {
                    tasks.append(Task(document: document, kvHead: kvHead, chunk: chunk, keyTiles: range, cost: cost))
                }
            }
        }
        tasks.sort { $0.cost > $1.cost }
        let headDim = shape.headDim
        pool.run(tasks: tasks.count, makeScratch: { Scratch(headDim: headDim) }) { index, scratch in
            let task = tasks[index]
            keyChunk(task, inputs, dq: task.chunk == 0 ? dq : dqPartials[task.chunk - 1], dk: dk, dv: dv, scratch: scratch)
        }
        addPartialQueryGradients(dqPartials, into: dq)
    }

    /// delta[h, t] = sum_d dO[t, h, d] * O[t, h, d]: the row term of the softmax gradient.
    private func computeDelta(dO: UnsafePointer<Float>, o: UnsafePointer<Float>, into delta: UnsafeMutablePointer<Float>) {
        let blocks = (shape.tokens + 255) / 256
        pool.run(tasks: blocks, makeScratch: {}) { block, _ in
            for token in block * 256..<min(shape.tokens, block * 256 + 256) {
                for head in 0..<shape.queryHeads {
                    let offset = token * shape.queryRowStride + head * shape.headDim
                    var sum = SIMD16<Float>()
                    for d in stride(from: 0, to: shape.headDim, by: 16) {
                        sum.addProduct(loadVector(dO + offset + d), loadVector(o + offset + d))
                    }
                    delta[head * shape.tokens + token] = horizontalSum(sum)
                }
            }
        }
    }

    /// Key tiles are swept `keyTilesPerSweep` at a time: each query tile's Q, dO and dq rows are then read once
    /// per sweep instead of once per key tile, while the sweep's K, V and dK, dV accumulators stay in cache.
    static let keyTilesPerSweep = 4

    private func keyChunk(
        _ task: Task, _ inputs: Inputs,
        dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let headDim = shape.headDim
        let queryTileCount = tiles.tileCount(document: task.document)
        for sweepStart in stride(from: task.keyTiles.lowerBound, to: task.keyTiles.upperBound, by: Self.keyTilesPerSweep) {
            let sweep = sweepStart..<min(sweepStart + Self.keyTilesPerSweep, task.keyTiles.upperBound)
            var keyTiles = sweep.map { keyTile in
                KeyTile(
                    keyTile, document: task.document, kvHead: task.kvHead, inputs: inputs, shape: shape, tiles: tiles,
                    accumulators: scratch.keyAccumulators(keyTile - sweepStart))
            }
            // For any one dk/dv row the additions run over (head, query tile) in order, and for any one dq row over
            // key tiles in order, whatever the sweep length.
            for head in task.kvHead * shape.groupSize..<(task.kvHead + 1) * shape.groupSize {
                for queryTile in sweepStart..<queryTileCount {
                    let query = QueryTile(queryTile, document: task.document, head: head, inputs: inputs, shape: shape, tiles: tiles)
                    // The chunk's first key tile writes dq afresh; later sweeps continue from what dq holds.
                    let overwrite = sweepStart == task.keyTiles.lowerBound
                    copyRows(from: inputs.q + query.offset, to: scratch.queries, count: query.count)
                    copyRows(from: inputs.dO + query.offset, to: scratch.outputGradients, count: query.count)
                    if !overwrite { copyRows(from: dq + query.offset, to: scratch.queryGradients, count: query.count) }
                    for index in keyTiles.indices where keyTiles[index].index <= queryTile {
                        accumulatePair(
                            query: query, key: &keyTiles[index], inputs: inputs,
                            accumulateDQ: !overwrite || index > 0, scratch: scratch)
                    }
                    for row in 0..<query.count {
                        (dq + query.offset + row * shape.queryRowStride)
                            .update(from: scratch.queryGradients + row * headDim, count: headDim)
                    }
                }
            }
            for key in keyTiles {
                for row in 0..<key.count {
                    let offset = (key.start + row) * shape.kvRowStride + task.kvHead * headDim
                    for d in stride(from: 0, to: headDim, by: 16) {
                        storeVector(loadVector(key.dK + row * headDim + d), dk + offset + d)
                        storeVector(loadVector(key.dV + row * headDim + d), dv + offset + d)
                    }
                }
            }
        }
    }

    /// Rows of one head of a query tile (stride queryRowStride) into a contiguous [count][headDim] block.
    private func copyRows(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        for row in 0..<count {
            (destination + row * shape.headDim).update(from: source + row * shape.queryRowStride, count: shape.headDim)
        }
    }
}
