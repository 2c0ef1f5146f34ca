/// Keys or values of every tile and kv head copied into one contiguous block, zero-padded past a document's end:
/// - `.transposed`: [headDim][64], for products of the form X K^T (the backward's Q K^T and dO V^T);
/// - `.rows`: [64][headDim], rows without the kvHeads stride (K in K Q^T and dS K, V in P V).
/// Packing is paid once per call instead of once per (query tile, key tile) pair.
/// Memory: `floatCount` = tiles * kvHeads * 64 * headDim floats, at most (tokens + 63 * documents) * kvHeads *
/// headDim, held in a workspace slot.
struct PackedKeyTiles {
    enum Layout { case transposed, rows }

    let storage: UnsafeMutablePointer<Float>
    let kvHeads: Int
    let headDim: Int

    static func floatCount(shape: AttentionShape, tiles: DocumentTiles) -> Int {
        max(tiles.count * shape.kvHeads * shape.headDim * DocumentTiles.size, 1)
    }

    init(
        from source: UnsafePointer<Float>, layout: Layout, shape: AttentionShape, tiles: DocumentTiles, pool: WorkerPool,
        into storage: UnsafeMutablePointer<Float>
    ) {
        let size = DocumentTiles.size, tileFloats = shape.headDim * size
        kvHeads = shape.kvHeads
        headDim = shape.headDim
        self.storage = storage
        let tileList = tiles.documents.indices.flatMap { document in
            (0..<tiles.tileCount(document: document)).map { (document, $0) }
        }
        pool.run(tasks: tileList.count, makeScratch: {}) { task, _ in
            let (document, tile) = tileList[task]
            let (start, valid) = tiles.tokens(document: document, tile: tile)
            for head in 0..<shape.kvHeads {
                let packed = storage + ((tiles.firstTile[document] + tile) * shape.kvHeads + head) * tileFloats
                packed.initialize(repeating: 0, count: tileFloats)
                let rows = source + start * shape.kvRowStride + head * shape.headDim
                for token in 0..<valid {
                    let row = rows + token * shape.kvRowStride
                    switch layout {
                    case .transposed:
                        for d in 0..<shape.headDim { packed[d * size + token] = row[d] }
                    case .rows:
                        (packed + token * shape.headDim).update(from: row, count: shape.headDim)
                    }
                }
            }
        }
    }

    /// The packed block of global tile `tile`, kv head `head`.
    func tile(_ tile: Int, head: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage + (tile * kvHeads + head) * headDim * DocumentTiles.size)
    }
}
