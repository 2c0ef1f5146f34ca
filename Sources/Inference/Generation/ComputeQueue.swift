import Dispatch

/// Runs CPU-bound work (prefill, decode) one job at a time on a dispatch thread of its own and awaits the result:
/// a generation that ran on Swift's cooperative threads would hold one of them for its whole length and starve the
/// rest of the process (a server's event handling, a progress display).
public final class ComputeQueue: Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `work` after every job submitted before it.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in
            queue.async { done.resume(returning: work()) }
        }
    }
}
