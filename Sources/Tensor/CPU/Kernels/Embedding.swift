// Token embedding: gather rows forward, scatter-add rows backward.

extension CPUDevice {
    public func embeddingForward(table: Tensor, ids: [Int32], into out: Tensor) {
        let (vocab, dim) = table.matrixShape
        precondition(out.matrixShape == (ids.count, dim), "embeddingForward: table \(table.shape), \(ids.count) ids, out \(out.shape)")
        checkTokenIDs(ids, vocab: vocab, "embeddingForward")
        let src = UnsafeRawPointer(table.cpuAddress("embeddingForward")), dst = out.cpuAddress("embeddingForward")
        let (from, to) = (table.dtype, out.dtype)
        ids.withUnsafeBufferPointer { ids in
            pool.forEachChunk(ids.count, chunk: Grain.rows(rowLength: dim)) { r in
                for t in r {
                    to.convert(dim, from: src + Int(ids[t]) * dim * from.byteSize, from, to: dst + t * dim * to.byteSize)
                }
            }
        }
    }

    public func embeddingBackward(dOut: Tensor, ids: [Int32], accumulateInto dTable: Tensor) {
        let (vocab, dim) = dTable.matrixShape
        precondition(dOut.matrixShape == (ids.count, dim), "embeddingBackward: dTable \(dTable.shape), \(ids.count) ids, dOut \(dOut.shape)")
        checkTokenIDs(ids, vocab: vocab, "embeddingBackward")
        let pd = dOut.f32("embeddingBackward"), pt = dTable.f32("embeddingBackward")
        // Tasks own column slices: each adds every token's slice in token order, so no two threads touch the
        // same element and repeated ids sum deterministically.
        ids.withUnsafeBufferPointer { ids in
            pool.forEachChunk(dim, chunk: 64) { cols in
                for t in 0..<ids.count {
                    addInPlace(pd + t * dim + cols.lowerBound, pt + Int(ids[t]) * dim + cols.lowerBound, cols.count)
                }
            }
        }
    }
}

func checkTokenIDs(_ ids: [Int32], vocab: Int, _ op: StaticString) {
    for id in ids where id < 0 || Int(id) >= vocab {
        preconditionFailure("\(op): token id \(id) outside the vocabulary of \(vocab)")
    }
}
