// Cross-entropy on a block of logit rows, loss and gradient in one pass over memory (three over each row).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUDevice {
    public func crossEntropy(logits: Tensor, labels: [Int32], gradScale: Float) -> CrossEntropyResult {
        let (rows, vocab) = logits.matrixShape
        precondition(labels.count == rows, "crossEntropy: \(labels.count) labels for logits \(logits.shape)")
        for label in labels where label != ignoreIndex && (label < 0 || Int(label) >= vocab) {
            preconditionFailure("crossEntropy: label \(label) outside the vocabulary of \(vocab) (and not \(ignoreIndex))")
        }
        let pl = logits.f32("crossEntropy")
        var losses = [Double](repeating: 0, count: rows)
        losses.withUnsafeMutableBufferPointer { losses in
            labels.withUnsafeBufferPointer { labels in
                pool.forEachChunk(rows, chunk: Grain.rows(rowLength: vocab)) { r in
                    for row in r {
                        losses[row] = crossEntropyRow(pl + row * vocab, vocab, label: labels[row], gradScale: gradScale)
                    }
                }
            }
        }
        // Row losses summed in row order: the same total for any thread count.
        return CrossEntropyResult(lossSum: losses.reduce(0, +), validCount: labels.count { $0 != ignoreIndex })
    }
}

/// Loss of one row (log-sum-exp - logit[label]); overwrites the row with gradScale * (softmax - onehot), or
/// zeros when the label is ignored.
private func crossEntropyRow(_ x: UnsafeMutablePointer<Float>, _ n: Int, label: Int32, gradScale: Float) -> Double {
    if label == ignoreIndex {
        x.initialize(repeating: 0, count: n)
        return 0
    }
    // Pass 1: maximum.
    var maxV = Vec(repeating: -.infinity)
    var i = 0
    while i + vecWidth <= n {
        let v = loadVec(x + i)
        maxV.replace(with: v, where: v .> maxV)
        i += vecWidth
    }
    var m = maxLane(maxV)
    while i < n { m = max(m, x[i]); i += 1 }
    let target = x[Int(label)]
    // Pass 2: e^(x - max) stored in place, summed (lanes in f32, total in Double).
    var sumV = Vec()
    i = 0
    while i + vecWidth <= n {
        let e = expVec(loadVec(x + i) - m)
        storeVec(e, x + i)
        sumV += e
        i += vecWidth
    }
    var sum = sumInDouble(sumV)
    while i < n { let e = expScalar(x[i] - m); x[i] = e; sum += Double(e); i += 1 }
    // Pass 3: softmax times gradScale, minus gradScale at the label.
    let factor = Float(Double(gradScale) / sum)
    scaleInPlace(x, factor, n)
    x[Int(label)] -= gradScale
    return Double(m) + log(sum) - Double(target)
}
