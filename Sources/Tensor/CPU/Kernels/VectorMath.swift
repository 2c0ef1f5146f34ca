// Small vector loops shared by kernels: 16 lanes at a time, then a scalar tail.

/// Sum of a[i] * b[i], lanes accumulated in f32, combined in Double.
@inline(__always) func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = Vec()
    var i = 0
    while i + vecWidth <= n {
        acc = loadVec(a + i) * loadVec(b + i) + acc
        i += vecWidth
    }
    var sum = sumInDouble(acc)
    while i < n { sum += Double(a[i] * b[i]); i += 1 }
    return Float(sum)
}

/// y[i] += alpha * x[i].
@inline(__always) func addScaled(_ alpha: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + vecWidth <= n {
        storeVec(loadVec(x + i) * alpha + loadVec(y + i), y + i)
        i += vecWidth
    }
    while i < n { y[i] = x[i] * alpha + y[i]; i += 1 }
}

/// x[i] *= factor.
@inline(__always) func scaleInPlace(_ x: UnsafeMutablePointer<Float>, _ factor: Float, _ n: Int) {
    var i = 0
    while i + vecWidth <= n {
        storeVec(loadVec(x + i) * factor, x + i)
        i += vecWidth
    }
    while i < n { x[i] *= factor; i += 1 }
}

/// y[i] += x[i].
@inline(__always) func addInPlace(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + vecWidth <= n {
        storeVec(loadVec(x + i) + loadVec(y + i), y + i)
        i += vecWidth
    }
    while i < n { y[i] += x[i]; i += 1 }
}

/// Per-task partial sums of rows, for column reductions (dWeight, dBias) that must not depend on threads:
/// rows are cut into at most `maxChunks` fixed chunks; `accumulate(rows, partial)` adds a chunk's rows into
/// its zeroed partial [columns]; the partials are then added in chunk order into `target`.
func reduceRowsInFixedChunks(rows: Int, columns: Int, pool: CPUThreadPool, into target: UnsafeMutablePointer<Float>,
                             accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
    let maxChunks = 64
    let rowsPerChunk = Swift.max(Grain.rows(rowLength: columns), (rows + maxChunks - 1) / maxChunks)
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    guard chunks > 0 else { return }
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: chunks * columns)
    defer { partials.deallocate() }
    partials.initialize(repeating: 0, count: chunks * columns)
    pool.run(tasks: chunks) { c in
        accumulate(c * rowsPerChunk..<Swift.min(rows, (c + 1) * rowsPerChunk), partials + c * columns)
    }
    // Column slices in parallel; each column still adds its partials in chunk order.
    pool.forEachChunk(columns, chunk: Grain.elements / chunks + 1) { cols in
        for c in 0..<chunks {
            addInPlace(partials + c * columns + cols.lowerBound, target + cols.lowerBound, cols.count)
        }
    }
}
