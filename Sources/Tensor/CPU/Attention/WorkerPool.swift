import Dispatch
import Synchronization

/// Runs independent tasks on a fixed number of workers that claim task indices from a shared counter.
/// Every task writes outputs no other task writes, so results are bitwise the same whatever the number of workers
/// or the order they ran in; callers list expensive tasks first so the last ones to finish are short.
struct WorkerPool {
    let workers: Int

    init(workers: Int) {
        precondition(workers >= 1, "need at least one worker")
        self.workers = workers
    }

    /// `makeScratch` runs once per worker (tile buffers live there); `body(task, &scratch)` once per task.
    func run<Scratch>(tasks: Int, makeScratch: @escaping () -> Scratch, _ body: @escaping (Int, inout Scratch) -> Void) {
        if tasks == 0 { return }
        let counter = TaskCounter()
        // The closures share raw pointers into buffers that tasks write disjointly; that is the one claim the
        // compiler cannot check, hence the unchecked box.
        let shared = SharedClosures(makeScratch: makeScratch, body: body)
        let work = { @Sendable (_: Int) in
            let body = shared.body
            var scratch = shared.makeScratch()
            while true {
                let task = counter.next.add(1, ordering: .relaxed).oldValue
                if task >= tasks { break }
                body(task, &scratch)
            }
        }
        let active = min(workers, tasks)
        if active == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: active, execute: work) }
    }
}

private final class TaskCounter: Sendable {
    let next = Atomic<Int>(0)
}

private final class SharedClosures<Scratch>: @unchecked Sendable {
    let makeScratch: () -> Scratch
    let body: (Int, inout Scratch) -> Void

    init(makeScratch: @escaping () -> Scratch, body: @escaping (Int, inout Scratch) -> Void) {
        self.makeScratch = makeScratch
        self.body = body
    }
}

/// Buffers of floats owned by one worker; freed when the worker finishes.
final class ScratchBuffer {
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}
