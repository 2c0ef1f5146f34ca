import Foundation
import Model
import Tensor

extension Generator {
    /// log p(tokens[i + 1] | tokens[...i]) for i in 0..<count-1 (natural log), from a chunked prefill with a fresh
    /// cache: memory is the cache (linear in the length) plus one chunk's activations and `rowBlock` x vocab logits.
    /// Dynamic-NTK models use the frequencies of the whole sequence, as one forward over it would.
    public func tokenLogProbabilities(_ tokens: [Int32], rowBlock: Int = 256) -> [Float] {
        guard tokens.count > 1 else { return [] }
        let cache = KVCache(config: model.config, device: model.device)
        cache.reserveCapacity(tokens.count)
        let vocab = model.config.vocabSize
        var result: [Float] = []
        result.reserveCapacity(tokens.count - 1)
        for chunkStart in stride(from: 0, to: tokens.count, by: max(1, prefillChunk)) {
            let chunkEnd = min(tokens.count, chunkStart + max(1, prefillChunk))
            let hidden = model.forward([CachedChunk(cache: cache, tokens: Array(tokens[chunkStart..<chunkEnd]), ropeLength: tokens.count)])
            for blockStart in stride(from: 0, to: chunkEnd - chunkStart, by: rowBlock) {
                let rows = blockStart..<min(chunkEnd - chunkStart, blockStart + rowBlock)
                let logits = model.logits(normedHidden: hidden.rows(rows)).floats()
                for (row, position) in zip(0..., rows.map { chunkStart + $0 }) where position + 1 < tokens.count {
                    let line = logits[row * vocab..<(row + 1) * vocab]
                    let maximum = line.max()!
                    var sum = 0.0
                    for value in line { sum += Foundation.exp(Double(value - maximum)) }
                    let target = Int(tokens[position + 1])
                    result.append(Float(Double(line[line.startIndex + target] - maximum) - Foundation.log(sum)))
                }
            }
        }
        cache.reset()
        return result
    }
}
