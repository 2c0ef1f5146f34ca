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
    let threads = (0..<count).map { _ in startThread(body) }
    for thread in threads { pthread_join(thread, nil) }
}

/// Starts a joinable thread with the system's default (8 MiB) stack, which deep inputs may need
/// (Foundation's threads get 512 KiB). Join it with pthread_join.
public func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(&thread, nil, { argument in
        Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return thread
}
