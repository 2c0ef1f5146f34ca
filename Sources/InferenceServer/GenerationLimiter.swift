/// At most `limit` generations run at once; the rest wait in arrival order. HTTP requests are served concurrently,
/// but a CPU model already uses every core for one generation, so running two at once only makes both slower.
actor GenerationLimiter {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID: UInt64 = 0

    init(limit: Int) {
        precondition(limit >= 1, "maxConcurrentGenerations must be at least 1, got \(limit)")
        available = limit
    }

    /// Runs `body` holding one permit. A task cancelled while it waits leaves the queue with CancellationError.
    nonisolated func withPermit<T>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    /// How many generations wait for a permit now (for tests and logs).
    var queued: Int { waiters.count }

    private func acquire() async throws {
        if available > 0 {
            available -= 1
            return
        }
        let id = nextWaiterID
        nextWaiterID += 1
        // No suspension between here and the enqueue, so `cancelWaiter` (also on this actor) always runs after it.
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            // The permit passes straight to the oldest waiter.
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
