#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cached attention for a few queries (decoding, short chunks), flash-decoding style.
///
/// 64-query tiles would waste up to 64x here, so scores are formed for every (query, head) pair of a kv group at
/// once, the group's "columns": column i * groupSize + m is query i of the chunk under query head
/// kvHead * groupSize + m. A few columns (one token) score as dot products, one line of scores per column
/// (`QueryRowScores`); more form transposed tiles of up to 64 columns (`MaskedColumnSoftmax`). Causality is a
/// per-column limit: query i sees rows up to start + i, which only the last blocks cross.
///
/// The visible rows are cut into splits of whole 64-row blocks. One task = one split: block by block it reads the
/// block's rows (all kv heads, interleaved in the cache) front to back, then runs every kv head's group on them from
/// L2, and leaves per kv head its partial running max, sum and unnormalised output in its own slot of the
/// workspace; a second pass merges the splits of each column in split order. Decoding is bound by memory
/// bandwidth: one token against 2K-32K cached rows reads 13-21 GB/s on one core here, about what a plain
/// sequential read gets. The split count depends only on
/// the problem (about `targetSplits`), never on the thread count, so even a single sequence with three kv heads
/// keeps every worker busy and results stay bitwise the same.
struct CachedAttentionDecode {
    /// Chunks up to this many queries take this kernel; longer ones are cheaper as 64-query tiles.
    static let maximumQueries = 64
    /// Splits are chosen to number about this many...
    static let targetSplits = 32
    /// ...but never to hold fewer than this many 64-row blocks, so a task's fixed costs stay small.
    static let minimumBlocksPerSplit = 4
    /// Workspace slot of the partial results (the training kernels never share a call with this one).
    static let partialSlot = 0
    /// lastVisible of padding columns: they see everything and are never read.
    static let paddingLimit = Int32(1 << 30)
    /// Groups with at most this many columns (one token, up to 8 query heads per kv head) score as dot products,
    /// one line per column; wider ones as transposed tiles.
    static let maximumRowColumns = 8
    /// Floats of keys and values read ahead at once: half of this machine's 1 MiB L2.
    static let readAheadFloats = 128 * 1024

    let shape: CachedAttentionShape
    let scale: Float
    let pool: WorkerPool
    let workspace: AttentionWorkspace

    /// Columns of one group, cut into tiles of at most 64; each tile's width is rounded up to 16 lanes.
    struct ColumnTiles {
        let count: Int
        /// count rounded up to 16: lanes of the statistics vectors.
        let paddedCount: Int
        /// Scores as one line per column rather than transposed tiles.
        let byRows: Bool
        /// Rows of the partial output: with lines of scores, count rounded up to a whole register block of the
        /// product with V (4, 6 or 10 rows; the extra lines of probabilities are zero).
        let outputRows: Int

        init(count: Int) {
            self.count = count
            paddedCount = (count + 15) / 16 * 16
            byRows = count <= CachedAttentionDecode.maximumRowColumns
            outputRows = byRows ? (count <= 4 ? 4 : count <= 6 ? 6 : 10) : count
        }

        var tileCount: Int { (count + DocumentTiles.size - 1) / DocumentTiles.size }
        func first(_ tile: Int) -> Int { tile * DocumentTiles.size }
        func columns(_ tile: Int) -> Int { min(DocumentTiles.size, count - first(tile)) }
        func width(_ tile: Int) -> Int { (columns(tile) + 15) / 16 * 16 }
    }

    /// One split's results for every column of one kv head: running max and sum (base 2) per padded column, then
    /// the unnormalised output [outputRows][headDim].
    struct Partial {
        let base: UnsafeMutablePointer<Float>
        let columns: ColumnTiles
        var runningMax: UnsafeMutablePointer<Float> { base }
        var runningSum: UnsafeMutablePointer<Float> { base + columns.paddedCount }
        var output: UnsafeMutablePointer<Float> { base + 2 * columns.paddedCount }

        static func floatCount(columns: ColumnTiles, headDim: Int) -> Int {
            2 * columns.paddedCount + columns.outputRows * headDim
        }
    }

    /// Per-worker buffers: a score tile ([64 keys][up to 64 columns], or [up to 10 lines][64 keys]); per kv head
    /// its scaled queries (transposed per column tile, [headDim][width] each, 64 * headDim apart; or rows
    /// [columns][headDim]); the rescaling factors; a sink for `readSequentially`.
    struct Scratch {
        let scores: ScratchBuffer
        let queries: ScratchBuffer
        let correction: ScratchBuffer
        /// Where `readSequentially` leaves its result (never read).
        let sink: ScratchBuffer

        static func queryFloats(columns: ColumnTiles, headDim: Int) -> Int {
            columns.byRows ? columns.count * headDim : columns.tileCount * DocumentTiles.size * headDim
        }

        init(columns: ColumnTiles, shape: CachedAttentionShape) {
            scores = ScratchBuffer(count: DocumentTiles.size * DocumentTiles.size)
            queries = ScratchBuffer(count: shape.kvHeads * Self.queryFloats(columns: columns, headDim: shape.headDim))
            correction = ScratchBuffer(count: columns.paddedCount)
            sink = ScratchBuffer(count: 1)
        }
    }

    func run(q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, o: UnsafeMutablePointer<Float>) {
        let size = DocumentTiles.size
        let shape = shape, headDim = shape.headDim
        let columns = ColumnTiles(count: shape.queries * shape.groupSize)
        let blocks = (shape.visibleKeys + size - 1) / size
        let blocksPerSplit = max(Self.minimumBlocksPerSplit, (blocks + Self.targetSplits - 1) / Self.targetSplits)
        let splits = (blocks + blocksPerSplit - 1) / blocksPerSplit
        let partialFloats = Partial.floatCount(columns: columns, headDim: shape.headDim)
        let partials = workspace.floats(Self.partialSlot, count: splits * shape.kvHeads * partialFloats)
        func partial(split: Int, kvHead: Int) -> Partial {
            Partial(base: partials + (split * shape.kvHeads + kvHead) * partialFloats, columns: columns)
        }
        // The query index of each column, the causal limit relative to start.
        let lastVisible = (0..<columns.paddedCount).map { column in
            column < columns.count ? Int32(column / shape.groupSize) : Self.paddingLimit
        }
        // In split order: the short last split runs last.
        pool.run(tasks: splits, makeScratch: { Scratch(columns: columns, shape: shape) }) { split, scratch in
            let firstKey = split * blocksPerSplit * size
            lastVisible.withUnsafeBufferPointer { lastVisible in
                sweep(
                    keys: firstKey..<min(shape.visibleKeys, firstKey + blocksPerSplit * size), q: q,
                    cacheKeys: keys, cacheValues: values, lastVisible: lastVisible.baseAddress!,
                    into: (0..<shape.kvHeads).map { partial(split: split, kvHead: $0) }, scratch: scratch)
            }
        }
        // Merge: one task per (query, kv head), each writing its own output rows.
        pool.run(tasks: shape.queries * shape.kvHeads, makeScratch: {}) { task, _ in
            let query = task / shape.kvHeads, kvHead = task % shape.kvHeads
            let splitPartials = (0..<splits).map { partial(split: $0, kvHead: kvHead) }
            for member in 0..<shape.groupSize {
                let column = query * shape.groupSize + member
                let destination = o + query * shape.queryRowStride + (kvHead * shape.groupSize + member) * headDim
                merge(column: column, splits: splitPartials, into: destination)
            }
        }
    }

    /// Online softmax of every kv head's columns over cache rows `keys`, left unnormalised in `partials[kvHead]`.
    private func sweep(
        keys: Range<Int>, q: UnsafePointer<Float>, cacheKeys: UnsafePointer<Float>, cacheValues: UnsafePointer<Float>,
        lastVisible: UnsafePointer<Int32>, into partials: [Partial], scratch: Scratch
    ) {
        let size = DocumentTiles.size
        let headDim = shape.headDim, kvStride = shape.kvRowStride, group = shape.groupSize
        let columns = partials[0].columns
        let scores = scratch.scores.pointer, correction = scratch.correction.pointer
        let queryFloats = Scratch.queryFloats(columns: columns, headDim: headDim)
        func queries(_ kvHead: Int, _ tile: Int) -> UnsafeMutablePointer<Float> {
            scratch.queries.pointer + kvHead * queryFloats + tile * size * headDim
        }
        // Queries times scale * log2 e (scores come out in base 2): rows, or transposed per column tile and
        // zero-padded.
        let scoreScale = scale * log2e
        for kvHead in 0..<shape.kvHeads {
            for tile in 0..<columns.tileCount {
                let width = columns.width(tile), destination = queries(kvHead, tile)
                if !columns.byRows { destination.update(repeating: 0, count: headDim * width) }
                for lane in 0..<columns.columns(tile) {
                    let column = columns.first(tile) + lane
                    let source = q + (column / group) * shape.queryRowStride + (kvHead * group + column % group) * headDim
                    for d in 0..<headDim {
                        destination[columns.byRows ? lane * headDim + d : d * width + lane] = source[d] * scoreScale
                    }
                }
            }
            let partial = partials[kvHead]
            partial.runningMax.update(repeating: columns.byRows ? -.infinity : MaskedColumnSoftmax.emptyMax,
                                      count: columns.paddedCount)
            partial.runningSum.update(repeating: 0, count: columns.paddedCount)
            partial.output.update(repeating: 0, count: columns.outputRows * headDim)
        }
        // Lines of probabilities past the columns stay zero: they pad the product with V to a register block.
        if columns.byRows { scores.update(repeating: 0, count: size * size) }
        for blockStart in stride(from: keys.lowerBound, to: keys.upperBound, by: size) {
            let keyCount = min(size, keys.upperBound - blockStart)
            // Rows up to start are visible to every query; only blocks reaching past it need the causal limits.
            let limits = blockStart + keyCount - 1 > shape.start ? lastVisible : nil
            // Heads whose rows of the block (keys and values) fit in half of L2 are read together.
            let headsPerRead = max(1, min(shape.kvHeads, Self.readAheadFloats / (2 * keyCount * headDim)))
            for kvHead in 0..<shape.kvHeads {
                if kvHead % headsPerRead == 0 {
                    scratch.sink.pointer[0] = readSequentially(
                        cacheKeys + blockStart * kvStride + kvHead * headDim,
                        cacheValues + blockStart * kvStride + kvHead * headDim, rows: keyCount, rowStride: kvStride,
                        rowFloats: min(headsPerRead, shape.kvHeads - kvHead) * headDim)
                }
                let partial = partials[kvHead]
                let keyRows = cacheKeys + blockStart * kvStride + kvHead * headDim
                let valueRows = cacheValues + blockStart * kvStride + kvHead * headDim
                for tile in 0..<columns.tileCount {
                    let first = columns.first(tile), width = columns.width(tile), count = columns.columns(tile)
                    let output = partial.output + first * headDim
                    let probabilities: BroadcastOperand
                    if columns.byRows {
                        QueryRowScores.multiply(
                            queries: queries(kvHead, tile), queryCount: count, headDim: headDim, keys: keyRows,
                            keyStride: kvStride, keyCount: keyCount, scores: scores, ld: size)
                        QueryRowScores.fold(
                            scores: scores, ld: size, queryCount: count, keyCount: keyCount,
                            lastVisible: limits.map { $0 + first }, visibleShift: shape.start - blockStart,
                            runningMax: partial.runningMax + first, runningSum: partial.runningSum + first,
                            correction: correction + first)
                        probabilities = .rows(scores, ld: size)
                    } else {
                        multiplyTile(
                            rows: keyCount, columns: width, depth: headDim, a: .rows(keyRows, ld: kvStride),
                            b: queries(kvHead, tile), ldb: width, c: scores, ldc: width, accumulate: false)
                        MaskedColumnSoftmax.fold(
                            scores: scores, ld: width, lanes: width, keys: keyCount,
                            lastVisible: limits.map { $0 + first }, visibleShift: shape.start - blockStart,
                            runningMax: partial.runningMax + first, runningSum: partial.runningSum + first,
                            correction: correction + first)
                        probabilities = .transposed(scores, ld: width)
                    }
                    // The output is still zero after the first block: nothing to rescale.
                    if blockStart > keys.lowerBound {
                        for lane in 0..<count where correction[first + lane] != 1 {
                            scaleRow(output + lane * headDim, count: headDim, by: correction[first + lane])
                        }
                    }
                    multiplyTile(
                        rows: columns.byRows ? columns.outputRows : count, columns: headDim, depth: keyCount,
                        a: probabilities, b: valueRows, ldb: kvStride, c: output, ldc: headDim, accumulate: true)
                }
            }
        }
    }

    /// Reads `rowFloats` floats of each of `rows` rows of two blocks front to back, one load per cache line, and
    /// returns a value that depends on them all (so the loads stay). The cache interleaves kv heads, so the per-head
    /// products read each 64-row block in strided pieces of headDim floats, a pattern the hardware prefetcher
    /// follows poorly; one sequential pass first brings the block into L2 at streaming speed (when all kv heads
    /// are read together, the rows are contiguous). Measured here, one token against 8K / 32K cached rows (SmolLM2
    /// shapes, one thread): 1.4-2.4 ms / 8.5-11 ms without it, 0.65-1.0 ms / 4.1-5.3 ms with it.
    @inline(__always)
    private func readSequentially(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, rowStride: Int, rowFloats: Int
    ) -> Float {
        var sum = SIMD16<Float>()
        for row in 0..<rows {
            let ra = a + row * rowStride, rb = b + row * rowStride
            for offset in stride(from: 0, to: rowFloats, by: 16) { sum += loadVector(ra + offset) + loadVector(rb + offset) }
        }
        return sum[0]
    }

    /// Combines the splits' partial results of one column in split order: with M the largest split max,
    /// o = sum_s 2^(max_s - M) output_s / sum_s 2^(max_s - M) sum_s. Splits that saw no key of the column
    /// (sum 0) add nothing; split 0 starts at row 0, which every query sees.
    private func merge(column: Int, splits: [Partial], into destination: UnsafeMutablePointer<Float>) {
        let headDim = shape.headDim
        var overallMax = -Float.infinity
        for split in splits where split.runningSum[column] > 0 { overallMax = max(overallMax, split.runningMax[column]) }
        var total: Float = 0
        destination.update(repeating: 0, count: headDim)
        for split in splits where split.runningSum[column] > 0 {
            let weight = exp2f(split.runningMax[column] - overallMax)
            total += split.runningSum[column] * weight
            let source = split.output + column * headDim
            for d in stride(from: 0, to: headDim, by: 16) {
                storeVector(loadVector(destination + d).addingProduct(loadVector(source + d), weight), destination + d)
            }
        }
        scaleRow(destination, count: headDim, by: 1 / total)
    }
}
