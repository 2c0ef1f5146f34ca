import Dispatch
import Synchronization

/// Runs file writes (MDS shards with their compression and fsync, checkpoints) on a thread of its own, strictly
/// in submission order, while the caller goes on encoding and packing. Order is what keeps a resumable build
/// consistent: a checkpoint submitted after a shard is saved only once that shard is on disk. At most two jobs
/// are outstanding (a third `submit` waits), so memory stays at two shards beyond the one filling.
public final class WriteBehindQueue: Sendable {
    private let queue = DispatchQueue(label: "longctx.write-behind")
    private let outstanding = DispatchSemaphore(value: 2)
    private let running = DispatchGroup()
    private let failure = Mutex<(any Error)?>(nil)

    public init() {}

    /// Queues `job`; throws the failure of an earlier job, if one failed (later jobs are then skipped).
    public func submit(_ job: @escaping @Sendable () throws -> Void) throws {
        try rethrowFailure()
        outstanding.wait()
        running.enter()
        queue.async { [self] in
            if failure.withLock({ $0 == nil }) {
                do { try job() } catch { failure.withLock { $0 = $0 ?? error } }
            }
            running.leave()
            outstanding.signal()
        }
    }

    /// Waits for every queued job; throws the first failure.
    public func drain() throws {
        running.wait()
        try rethrowFailure()
    }

    private func rethrowFailure() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// An MDSWriter's finished shards, appended by the thread that writes them and read by others.
public final class FinishedShards: Sendable {
    private let shards: Mutex<[MDSShardInfo]>

    init(_ shards: [MDSShardInfo]) { self.shards = Mutex(shards) }

    public var all: [MDSShardInfo] { shards.withLock { $0 } }

    func append(_ shard: MDSShardInfo) { shards.withLock { $0.append(shard) } }
}
