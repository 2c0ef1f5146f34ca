import Synchronization

extension Tokenizer {
    /// Encodes many documents on `threads` threads; each thread keeps its own word cache. Documents are
    /// handed out one at a time, so uneven lengths still balance.
    public func encodeBatch(_ texts: [String], threads: Int, addSpecialTokens: Bool = false,
                            parseSpecialTokens: Bool = true) -> [[TokenID]] {
        let workers = max(1, min(threads, texts.count))
        var results = [[TokenID]](repeating: [], count: texts.count)
        if workers == 1 {
            var state = EncoderState()
            for (i, text) in texts.enumerated() {
                results[i] = encode(text, addSpecialTokens: addSpecialTokens, parseSpecialTokens: parseSpecialTokens, state: &state)
            }
            return results
        }
        let next = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            runThreads(workers) {
                var state = EncoderState()
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    if i >= texts.count { break }
                    out[i] = self.encode(texts[i], addSpecialTokens: addSpecialTokens,
                                         parseSpecialTokens: parseSpecialTokens, state: &state)
                }
            }
        }
        return results
    }
}
