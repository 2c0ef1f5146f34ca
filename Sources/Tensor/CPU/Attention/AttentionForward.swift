#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores are kept in base 2 (scaled by scale * log2 e) so that softmax needs exp2 only.
let log2e: Float = 1.442_695_04
let ln2: Float = 0.693_147_18

/// Flash-attention forward over one packed sequence; see `VarlenAttention.forward` for the contract.
/// One task = (document, kv head, query tile of 64 rows): it sweeps the key tiles of its document up to the
/// diagonal with an online softmax, for every query head of the group in turn, so each key and value tile is read
/// from memory once per group rather than once per query head. No score row is ever longer than 64.
/// Scores are formed transposed, S^T = K Q^T ([key][query]), so that the softmax statistics of sixteen queries sit
/// in one vector and need no horizontal reductions.
struct AttentionForward {
    let shape: AttentionShape
    let tiles: DocumentTiles
    let scale: Float
    let pool: WorkerPool
    let workspace: AttentionWorkspace

    struct Task {
        var document: Int
        var kvHead: Int
        var tile: Int
    }

    /// Per-worker buffers: one transposed scores/probabilities tile [64 keys][64 queries]; per query head of a
    /// group its scaled queries transposed, [headDim][64], its output accumulator, [64][headDim], and per query its
    /// running max, running sum and rescaling factor.
    struct Scratch {
        let scores: ScratchBuffer
        let queries: ScratchBuffer
        let output: ScratchBuffer
        let rowStatistics: ScratchBuffer

        init(shape: AttentionShape) {
            scores = ScratchBuffer(count: DocumentTiles.size * DocumentTiles.size)
            queries = ScratchBuffer(count: shape.groupSize * DocumentTiles.size * shape.headDim)
            output = ScratchBuffer(count: shape.groupSize * DocumentTiles.size * shape.headDim)
            rowStatistics = ScratchBuffer(count: shape.groupSize * 3 * DocumentTiles.size)
        }
    }

    func run(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        o: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>
    ) {
        let packedFloats = PackedKeyTiles.floatCount(shape: shape, tiles: tiles)
        let keys = PackedKeyTiles(
            from: k, layout: .rows, shape: shape, tiles: tiles, pool: pool,
            into: workspace.floats(WorkspaceSlot.keyRows, count: packedFloats))
        let values = PackedKeyTiles(
            from: v, layout: .rows, shape: shape, tiles: tiles, pool: pool,
            into: workspace.floats(WorkspaceSlot.valueRows, count: packedFloats))
        var tasks: [Task] = []
        for document in tiles.documents.indices {
            for tile in 0..<tiles.tileCount(document: document) {
                for kvHead in 0..<shape.kvHeads { tasks.append(Task(document: document, kvHead: kvHead, tile: tile)) }
            }
        }
        // Longest sweeps first: a query tile's cost grows with its index.
        tasks.sort { $0.tile > $1.tile }
        let shape = shape
        pool.run(tasks: tasks.count, makeScratch: { Scratch(shape: shape) }) { index, scratch in
            queryTile(tasks[index], q: q, keys: keys, values: values, o: o, lse: lse, scratch: scratch)
        }
    }

    private func queryTile(
        _ task: Task, q: UnsafePointer<Float>, keys: PackedKeyTiles, values: PackedKeyTiles,
        o: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        let size = DocumentTiles.size
        let headDim = shape.headDim
        let (queryStart, queryCount) = tiles.tokens(document: task.document, tile: task.tile)
        let firstHead = task.kvHead * shape.groupSize
        let scores = scratch.scores.pointer
        // Per head of the group: queries, output accumulator and the three 64-query statistics.
        func queries(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.queries.pointer + member * size * headDim }
        func output(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.output.pointer + member * size * headDim }
        func statistics(_ member: Int) -> UnsafeMutablePointer<Float> { scratch.rowStatistics.pointer + member * 3 * size }
        // Queries times scale * log2 e, transposed and zero-padded: scores come out in base 2, ready for exp2.
        let scoreScale = scale * log2e
        for member in 0..<shape.groupSize {
            let source = q + queryStart * shape.queryRowStride + (firstHead + member) * headDim
            let transposed = queries(member)
            for row in 0..<size {
                for d in 0..<headDim { transposed[d * size + row] = row < queryCount ? source[row * shape.queryRowStride + d] * scoreScale : 0 }
            }
            let rowMax = statistics(member), rowSum = rowMax + size
            for row in 0..<size {
                rowMax[row] = -.infinity
                rowSum[row] = 0
            }
        }
        for keyTile in 0...task.tile {
            let keyCount = tiles.tokens(document: task.document, tile: keyTile).count
            let keyRows = keys.tile(tiles.firstTile[task.document] + keyTile, head: task.kvHead)
            let valueRows = values.tile(tiles.firstTile[task.document] + keyTile, head: task.kvHead)
            for member in 0..<shape.groupSize {
                let output = output(member), rowMax = statistics(member)
                let rowSum = rowMax + size, correction = rowMax + 2 * size
                multiplyTile(
                    rows: keyCount, columns: size, depth: headDim, a: .rows(keyRows, ld: headDim),
                    b: queries(member), ldb: size, c: scores, ldc: size, accumulate: false)
                OnlineSoftmax.foldTransposed(
                    scores: scores, queries: queryCount, keys: keyCount, diagonal: keyTile == task.tile,
                    runningMax: rowMax, runningSum: rowSum, correction: correction)
                if keyTile > 0 {
                    for row in 0..<queryCount where correction[row] != 1 {
                        scaleRow(output + row * headDim, count: headDim, by: correction[row])
                    }
                }
                multiplyTile(
                    rows: queryCount, columns: headDim, depth: keyCount, a: .transposed(scores, ld: size),
                    b: valueRows, ldb: headDim, c: output, ldc: headDim, accumulate: keyTile > 0,
                    stepRange: keyTile == task.tile ? .throughRow : .all)
            }
        }
        for member in 0..<shape.groupSize {
            let head = firstHead + member
            let output = output(member), rowMax = statistics(member), rowSum = rowMax + size
            for row in 0..<queryCount {
                let token = queryStart + row
                let inverse = 1 / rowSum[row]
                let source = output + row * headDim
                let destination = o + token * shape.queryRowStride + head * headDim
                for d in stride(from: 0, to: headDim, by: 16) { storeVector(loadVector(source + d) * inverse, destination + d) }
                lse[head * shape.tokens + token] = (rowMax[row] + log2(rowSum[row])) * ln2
            }
        }
    }
}

@inline(__always)
func scaleRow(_ row: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    for d in stride(from: 0, to: count, by: 16) { storeVector(loadVector(row + d) * factor, row + d) }
}
