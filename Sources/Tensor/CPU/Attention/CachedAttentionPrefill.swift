/// Cached attention for long chunks: the training forward's tiling (`AttentionForward`) with keys and values taken
/// from the cache tile by tile. One task = (kv head, query tile): it sweeps the key tiles up to the diagonal with an
/// online softmax, every query head of the group in turn, so each key and value tile is read once per group.
///
/// Tiles are aligned to absolute positions (tile t holds positions 64t..<64t + 64) rather than to the chunk's first
/// token: a query tile then lies inside one key tile's span, its diagonal tile is the only masked one, and the
/// training kernel's diagonal softmax applies unchanged. A chunk starting at start % 64 != 0 puts its first rows at
/// that offset of their tile; the rows before it are zero queries whose results are never written (at most one
/// partly wasted tile per chunk). Only keys up to the tile's last query are read, so rows of the cache past the
/// chunk are never touched.
///
/// Each key and value tile is first copied out of the cache (where kv heads interleave) into contiguous
/// [64][headDim] buffers: the copy streams, while the products' strided broadcasts from the cache stall on
/// misses once the cache outgrows L2. Measured here (SmolLM2 shapes, 1024 queries at start 14336, one thread, a
/// busy machine): 431-595 ms copied against 474-628 ms read in place, copying faster in six of seven interleaved
/// pairs. The copy moves 2 x 64 x headDim floats per key tile against groupSize x 2 x 64 x 64 x headDim
/// multiply-adds.
struct CachedAttentionPrefill {
    let shape: CachedAttentionShape
    let scale: Float
    let pool: WorkerPool

    struct Task {
        var kvHead: Int
        /// Absolute tile index: the tile holds positions 64 * tile..<64 * tile + 64.
        var tile: Int
    }

    /// Per-worker buffers, as the training forward's: one transposed score tile [64 keys][64 queries]; per query
    /// head of the group its scaled queries transposed [headDim][64] and output accumulator [64][headDim]; per query
    /// its running max, running sum and rescaling factor; plus the current key and value tiles, [64][headDim] each.
    struct Scratch {
        let scores: ScratchBuffer
        let queries: ScratchBuffer
        let output: ScratchBuffer
        let rowStatistics: ScratchBuffer
        let keyTile: ScratchBuffer
        let valueTile: ScratchBuffer

        init(shape: CachedAttentionShape) {
            let size = DocumentTiles.size
            keyTile = ScratchBuffer(count: size * shape.headDim)
            valueTile = ScratchBuffer(count: size * shape.headDim)
            scores = ScratchBuffer(count: size * size)
            queries = ScratchBuffer(count: shape.groupSize * size * shape.headDim)
            output = ScratchBuffer(count: shape.groupSize * size * shape.headDim)
            rowStatistics = ScratchBuffer(count: shape.groupSize * 3 * size)
        }
    }

    func run(q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, o: UnsafeMutablePointer<Float>) {
        let size = DocumentTiles.size
        let firstTile = shape.start / size, lastTile = (shape.visibleKeys - 1) / size
        var tasks: [Task] = []
        // Longest sweeps first: a query tile's cost grows with its index.
        for tile in (firstTile...lastTile).reversed() {
            for kvHead in 0..<shape.kvHeads { tasks.append(Task(kvHead: kvHead, tile: tile)) }
        }
        let shape = shape
        pool.run(tasks: tasks.count, makeScratch: { Scratch(shape: shape) }) { index, scratch in
            queryTile(tasks[index], q: q, keys: keys, values: values, o: o, scratch: scratch)
        }
    }

    private func queryTile(
        _ task: Task, q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        o: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let size = DocumentTiles.size
        let headDim = shape.headDim, kvStride = shape.kvRowStride
        let tileStart = task.tile * size
        // Tile rows firstRow..<rows are the chunk's queries; rows (and diagonal keys) stop at the last of them.
        let firstRow = max(shape.start, tileStart) - tileStart
        let rows = min(shape.visibleKeys, tileStart + size) - tileStart
        let firstHead = task.kvHead * shape.groupSize
        let scores = scratch.scores.pointer
        func queries(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.queries.pointer + member * size * headDim }
        func output(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.output.pointer + member * size * headDim }
        func statistics(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.rowStatistics.pointer + member * 3 * size }
        // Queries times scale * log2 e, transposed, zero outside the chunk: scores come out in base 2.
        let scoreScale = scale * log2e
        for member in 0..<shape.groupSize {
            let transposed = queries(member)
            transposed.update(repeating: 0, count: headDim * size)
            for row in firstRow..<rows {
                let source = q + (tileStart + row - shape.start) * shape.queryRowStride + (firstHead + member) * headDim
                for d in 0..<headDim { transposed[d * size + row] = source[d] * scoreScale }
            }
            let rowMax = statistics(member), rowSum = rowMax + size
            rowMax.update(repeating: -.infinity, count: size)
            rowSum.update(repeating: 0, count: size)
        }
        for keyTile in 0...task.tile {
            let diagonal = keyTile == task.tile
            let keyCount = diagonal ? rows : size
            let keyRows = scratch.keyTile.pointer, valueRows = scratch.valueTile.pointer
            let keySource = keys + keyTile * size * kvStride + task.kvHead * headDim
            let valueSource = values + keyTile * size * kvStride + task.kvHead * headDim
            for row in 0..<keyCount {
                (keyRows + row * headDim).update(from: keySource + row * kvStride, count: headDim)
                (valueRows + row * headDim).update(from: valueSource + row * kvStride, count: headDim)
            }
            for member in 0..<shape.groupSize {
                let output = output(member), rowMax = statistics(member)
                let rowSum = rowMax + size, correction = rowMax + 2 * size
                multiplyTile(
                    rows: keyCount, columns: size, depth: headDim, a: .rows(keyRows, ld: headDim),
                    b: queries(member), ldb: size, c: scores, ldc: size, accumulate: false)
                OnlineSoftmax.foldTransposed(
                    scores: scores, queries: rows, keys: keyCount, diagonal: diagonal,
                    runningMax: rowMax, runningSum: rowSum, correction: correction)
                if keyTile > 0 {
                    for row in 0..<rows where correction[row] != 1 {
                        scaleRow(output + row * headDim, count: headDim, by: correction[row])
                    }
                }
                multiplyTile(
                    rows: rows, columns: headDim, depth: keyCount, a: .transposed(scores, ld: size),
                    b: valueRows, ldb: headDim, c: output, ldc: headDim, accumulate: keyTile > 0,
                    stepRange: diagonal ? .throughRow : .all)
            }
        }
        for member in 0..<shape.groupSize {
            let head = firstHead + member
            let output = output(member), rowSum = statistics(member) + size
            for row in firstRow..<rows {
                let inverse = 1 / rowSum[row]
                let source = output + row * headDim
                let destination = o + (tileStart + row - shape.start) * shape.queryRowStride + head * headDim
                for d in stride(from: 0, to: headDim, by: 16) { storeVector(loadVector(source + d) * inverse, destination + d) }
            }
        }
    }
}
