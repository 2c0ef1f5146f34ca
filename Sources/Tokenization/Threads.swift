#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on `count` threads and waits for all of them.
func runThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) {
    let threads = (0..<count).map { _ in startThread(body) }
    for thread in threads { pthread_join(thread, nil) }
}

/// Runs `first` on a new thread while `second` runs on this one, and returns both results (or the first error,
/// `first`'s before `second`'s) once both are done.
public func inParallel<A, B>(_ first: @escaping @Sendable () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    let slot = ResultSlot<A>()
    let thread = startThread { slot.result = Result { try first() } }
    let b = Result { try second() }
    pthread_join(thread, nil)
    return (try slot.result!.get(), try b.get())
}

/// A result written by one thread and read by another after joining it.
private final class ResultSlot<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
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
