/// Cached attention for long chunks: the training forward's tiling (`AttentionForward`) with keys and values taken
/// from the cache. One task = (kv head, one or two adjacent query tiles): it sweeps the key tiles up to the last
/// diagonal with an online softmax, every (query tile, query head of the group) in turn, so each key and value tile
/// is fetched from memory once per task and then used from cache by up to 2 x groupSize query tiles.
///
/// Tiles are aligned to absolute positions (tile t holds positions 64t..<64t + 64) rather than to the chunk's first
/// token: a query tile then lies inside one key tile's span, its diagonal tile is the only masked one, and the
/// training kernel's diagonal softmax applies unchanged. A chunk starting at start % 64 != 0 puts its first rows at
/// that offset of their tile; the rows before it are zero queries whose results are never written (at most one
/// partly wasted tile per chunk). Only keys up to the tile's last query are read, so rows of the cache past the
/// chunk are never touched.
///
/// Memory traffic, which is what separates this kernel from the tile products' peak at long contexts:
/// - the visible keys and values are packed once per call (`PackedKeyTiles`, one task per tile) into contiguous
///   [64][headDim] blocks per kv head, in two workspace slots: 2 x visibleKeys (rounded up to 64) x kvHeads x
///   headDim floats, 50 MB at 32K for SmolLM2 (3 kv heads of 64). The pack is one pass over the visible cache, under
///   1% of a 2048-query chunk at 32K; the earlier copy of every key tile out of the interleaved cache per query tile
///   moved it 32 times per such chunk (7% of a prefill in memmove);
/// - two query tiles per task halve the tiles streamed per product, and the next key and value tiles are touched
///   (one load per line) before the current ones' products, so their misses overlap instead of stalling the
///   products one by one. Measured here (SmolLM2 shapes, 2048 queries at start 30720, one thread, medians of five
///   interleaved runs): per-query-tile copies 1863 ms; packed, one tile per task 1836; two tiles per task 1730;
///   plus the touch 1679 (copying each packed tile to scratch instead: 1689; three or four tiles per task: no
///   better). The products then run at the isolated tile's
///   rate (about 110 GFLOP/s); what remains is the softmax (10% of the time) and the touch's wait (6%).
struct CachedAttentionPrefill {
    let shape: CachedAttentionShape
    let scale: Float
    let pool: WorkerPool
    let workspace: AttentionWorkspace

    /// Query tiles one task sweeps together, when that still leaves `tasksPerWorker` tasks to every worker.
    static let maximumTilesPerTask = 2
    static let tasksPerWorker = 4

    struct Task {
        var kvHead: Int
        /// Absolute tile indices firstTile...lastTile: tile t holds positions 64t..<64t + 64.
        var firstTile: Int
        var lastTile: Int
    }

    /// Per-worker buffers, as the training forward's but for `tilesPerTask` query tiles: one transposed score tile
    /// [64 keys][64 queries]; per (query tile, query head of the group) its scaled queries transposed
    /// [headDim][64] and output accumulator [64][headDim]; per query its running max, running sum and rescaling
    /// factor.
    struct Scratch {
        let scores: ScratchBuffer
        let queries: ScratchBuffer
        let output: ScratchBuffer
        let rowStatistics: ScratchBuffer
        /// Where `touch` leaves its result.
        let touched: ScratchBuffer

        init(shape: CachedAttentionShape, tilesPerTask: Int) {
            let size = DocumentTiles.size, members = tilesPerTask * shape.groupSize
            touched = ScratchBuffer(count: 1)
            scores = ScratchBuffer(count: size * size)
            queries = ScratchBuffer(count: members * size * shape.headDim)
            output = ScratchBuffer(count: members * size * shape.headDim)
            rowStatistics = ScratchBuffer(count: members * 3 * size)
        }
    }

    func run(q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, o: UnsafeMutablePointer<Float>) {
        let size = DocumentTiles.size
        let firstTile = shape.start / size, lastTile = (shape.visibleKeys - 1) / size
        // The visible cache as one document starting at position 0: its tiles are the absolute tiles.
        let visible = AttentionShape(
            tokens: shape.visibleKeys, queryHeads: shape.queryHeads, kvHeads: shape.kvHeads, headDim: shape.headDim)
        let tiles = DocumentTiles([Document(start: 0, length: shape.visibleKeys)])
        let packedFloats = PackedKeyTiles.floatCount(shape: visible, tiles: tiles)
        let packedKeys = PackedKeyTiles(
            from: keys, layout: .rows, shape: visible, tiles: tiles, pool: pool,
            into: workspace.floats(WorkspaceSlot.keyRows, count: packedFloats))
        let packedValues = PackedKeyTiles(
            from: values, layout: .rows, shape: visible, tiles: tiles, pool: pool,
            into: workspace.floats(WorkspaceSlot.valueRows, count: packedFloats))
        // Grouping changes no result: each query tile's sums run in the same order whatever tiles share its task.
        let queryTiles = lastTile - firstTile + 1
        let groupedTasks = queryTiles * shape.kvHeads / Self.maximumTilesPerTask
        let tilesPerTask = groupedTasks >= Self.tasksPerWorker * pool.workers ? Self.maximumTilesPerTask : 1
        var tasks: [Task] = []
        // One kv head after the other, so that the packed tiles being swept are one head's, then longest sweeps
        // first: a task's cost grows with its last tile.
        for kvHead in 0..<shape.kvHeads {
            for last in stride(from: lastTile, through: firstTile, by: -tilesPerTask) {
                tasks.append(Task(kvHead: kvHead, firstTile: max(firstTile, last - tilesPerTask + 1), lastTile: last))
            }
        }
        let shape = shape
        pool.run(tasks: tasks.count, makeScratch: { Scratch(shape: shape, tilesPerTask: tilesPerTask) }) { index, scratch in
            sweep(tasks[index], q: q, keys: packedKeys, values: packedValues, o: o, scratch: scratch)
        }
    }

    private func sweep(
        _ task: Task, q: UnsafePointer<Float>, keys: PackedKeyTiles, values: PackedKeyTiles,
        o: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let size = DocumentTiles.size
        let headDim = shape.headDim, groupSize = shape.groupSize
        let firstHead = task.kvHead * groupSize
        let scores = scratch.scores.pointer
        // Buffers of query head `member` of the group in the task's query tile `tile` (absolute index).
        func slot(_ tile: Int, _ member: Int) -> Int { (tile - task.firstTile) * groupSize + member }
        func queries(_ tile: Int, _ member: Int) -> UnsafeMutablePointer<Float> {
            scratch.queries.pointer + slot(tile, member) * size * headDim
        }
        func output(_ tile: Int, _ member: Int) -> UnsafeMutablePointer<Float> {
            scratch.output.pointer + slot(tile, member) * size * headDim
        }
        func statistics(_ tile: Int, _ member: Int) -> UnsafeMutablePointer<Float> {
            scratch.rowStatistics.pointer + slot(tile, member) * 3 * size
        }
        // Tile rows firstRow..<rows are the chunk's queries; rows (and diagonal keys) stop at the last of them.
        func rowRange(_ tile: Int) -> (first: Int, end: Int) {
            let tileStart = tile * size
            return (max(shape.start, tileStart) - tileStart, min(shape.visibleKeys, tileStart + size) - tileStart)
        }
        // Queries times scale * log2 e, transposed, zero outside the chunk: scores come out in base 2.
        let scoreScale = scale * log2e
        for tile in task.firstTile...task.lastTile {
            let (firstRow, rows) = rowRange(tile)
            for member in 0..<groupSize {
                let transposed = queries(tile, member)
                transposed.update(repeating: 0, count: headDim * size)
                for row in firstRow..<rows {
                    let source = q + (tile * size + row - shape.start) * shape.queryRowStride + (firstHead + member) * headDim
                    for d in 0..<headDim { transposed[d * size + row] = source[d] * scoreScale }
                }
                let rowMax = statistics(tile, member), rowSum = rowMax + size
                rowMax.update(repeating: -.infinity, count: size)
                rowSum.update(repeating: 0, count: size)
            }
        }
        // Each key tile, once loaded, serves every query tile of the task at or past it.
        for keyTile in 0...task.lastTile {
            let keyRows = keys.tile(keyTile, head: task.kvHead), valueRows = values.tile(keyTile, head: task.kvHead)
            if keyTile < task.lastTile {
                let floats = size * headDim
                touch(keys.tile(keyTile + 1, head: task.kvHead), floats: floats, sink: scratch.touched.pointer)
                touch(values.tile(keyTile + 1, head: task.kvHead), floats: floats, sink: scratch.touched.pointer)
            }
            for tile in max(task.firstTile, keyTile)...task.lastTile {
                let rows = rowRange(tile).end
                let diagonal = keyTile == tile
                let keyCount = diagonal ? rows : size
                for member in 0..<groupSize {
                    let output = output(tile, member), rowMax = statistics(tile, member)
                    let rowSum = rowMax + size, correction = rowMax + 2 * size
                    multiplyTile(
                        rows: keyCount, columns: size, depth: headDim, a: .rows(keyRows, ld: headDim),
                        b: queries(tile, member), ldb: size, c: scores, ldc: size, accumulate: false)
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
        }
        for tile in task.firstTile...task.lastTile {
            let (firstRow, rows) = rowRange(tile)
            for member in 0..<groupSize {
                let head = firstHead + member
                let output = output(tile, member), rowSum = statistics(tile, member) + size
                for row in firstRow..<rows {
                    let inverse = 1 / rowSum[row]
                    let source = output + row * headDim
                    let destination = o + (tile * size + row - shape.start) * shape.queryRowStride + head * headDim
                    for d in stride(from: 0, to: headDim, by: 16) { storeVector(loadVector(source + d) * inverse, destination + d) }
                }
            }
        }
    }

    /// Reads one float per 64-byte line of `floats` floats at `tile`, so that the next key tile's lines are on
    /// their way while this one's products run: the products' own loads expose each miss in turn (the hardware
    /// prefetcher does not get far ahead of them), while these independent loads overlap. XOR chains are one cycle
    /// per load, and the result is stored so the loads stay.
    @inline(__always)
    private func touch(_ tile: UnsafePointer<Float>, floats: Int, sink: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(tile)
        var a: UInt32 = 0, b: UInt32 = 0
        for offset in stride(from: 0, to: floats * 4, by: 128) {
            a ^= raw.load(fromByteOffset: offset, as: UInt32.self)
            b ^= raw.load(fromByteOffset: offset + 64, as: UInt32.self)
        }
        sink.pointee = Float(bitPattern: a ^ b)
    }
}
