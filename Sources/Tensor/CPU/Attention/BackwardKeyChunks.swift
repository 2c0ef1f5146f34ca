/// Splitting a document's key tiles into chunks, so that one long document still gives every worker work, while dq
/// stays deterministic: chunk 0 writes dq, chunk c >= 1 writes its own partial buffer, and a final pass adds the
/// partials to dq in chunk order.
extension AttentionBackward {
    /// Chunks per document and kv head. More chunks balance two workers better when another process takes a core
    /// for a while, but each chunk after the first costs a partial dq buffer, touched from the chunk's first row
    /// to the document's end (about 0.71 of q's size for 2 chunks, 1.4 for 3).
    static let defaultKeyChunks = 2

    /// Boundaries 0 = b_0 < b_1 <= ... <= b_chunks = n of key-tile chunks of about equal work (key tile j meets
    /// n - j query tiles). Chunk 0 is never empty: it is the one that writes dq; later chunks may be.
    static func chunkBoundaries(tileCount n: Int, chunks: Int) -> [Int] {
        let total = n * (n + 1) / 2
        var boundaries = [0], prefix = 0, tile = 0
        for chunk in 1..<chunks {
            let target = Double(total) * Double(chunk) / Double(chunks)
            // Advance while taking the next tile brings the prefix closer to the target.
            while tile < n && abs(Double(prefix + n - tile) - target) <= abs(Double(prefix) - target) {
                prefix += n - tile
                tile += 1
            }
            boundaries.append(max(tile, 1, boundaries.last!))
        }
        boundaries.append(n)
        return boundaries.map { min($0, n) }
    }

    /// dq += partial of chunk 1, then of chunk 2, ..., over the rows each non-empty chunk wrote.
    func addPartialQueryGradients(_ partials: [UnsafeMutablePointer<Float>], into dq: UnsafeMutablePointer<Float>) {
        struct Block {
            var tokens: Range<Int>
            /// First token written by chunk 1, 2, ... (Int.max for an empty chunk).
            var chunkStarts: [Int]
        }
        var blocks: [Block] = []
        for (index, document) in tiles.documents.enumerated() {
            let boundaries = Self.chunkBoundaries(tileCount: tiles.tileCount(document: index), chunks: partials.count + 1)
            let starts = (1..<boundaries.count - 1).map { chunk in
                boundaries[chunk] < boundaries[chunk + 1] ? document.start + boundaries[chunk] * DocumentTiles.size : Int.max
            }
            let end = document.start + document.length
            // Blocks of 256 tokens so that one long document still spreads over the workers.
            for start in stride(from: starts.min() ?? end, to: end, by: 256) {
                blocks.append(Block(tokens: start..<min(start + 256, end), chunkStarts: starts))
            }
        }
        let rowFloats = shape.queryRowStride
        pool.run(tasks: blocks.count, makeScratch: {}) { index, _ in
            let block = blocks[index]
            for token in block.tokens {
                for (chunk, partial) in partials.enumerated() where token >= block.chunkStarts[chunk] {
                    for at in stride(from: token * rowFloats, to: (token + 1) * rowFloats, by: 16) {
                        storeVector(loadVector(dq + at) + loadVector(partial + at), dq + at)
                    }
                }
            }
        }
    }
}
