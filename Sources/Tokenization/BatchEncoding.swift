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

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on `count` threads and waits for all of them.
func runThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var threads: [pthread_t] = []
    for _ in 0..<count {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}
