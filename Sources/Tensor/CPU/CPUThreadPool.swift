#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Worker threads that run the tasks of one job together with the calling thread.
///
/// Kernels split their work into tasks whose boundaries depend only on the problem size, never on the thread
/// count, and write each task's partial results to its own slot; reductions then combine the slots in task order.
/// That makes every result identical for any number of threads. A job submitted while another runs (from a
/// task, or from a second thread) runs inline on the caller instead of waiting.
final class CPUThreadPool: @unchecked Sendable {
    // Safety: the mutable job fields below are read and written only with `mutex` held; `threads` only by the
    // owner (init, shutdown, and `run`, which the owner does not call after shutdown).
    let threadCount: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let submitMutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let nextTask = Atomic<Int>(0)
    private var generation = 0
    private var taskCount = 0
    private var busyWorkers = 0
    private var stopping = false
    private var body: ((Int) -> Void)?
    private var threads: [pthread_t] = []

    /// A pool whose jobs use `threadCount` threads in all (the caller plus `threadCount - 1` workers).
    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(submitMutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
        for _ in 1..<self.threadCount {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let rc = pthread_create(&thread, nil, { context in
                let pool = Unmanaged<CPUThreadPool>.fromOpaque(context!).takeRetainedValue()
                pool.workerLoop()
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            threads.append(thread)
        }
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_mutex_destroy(submitMutex)
        pthread_cond_destroy(wake)
        pthread_cond_destroy(finished)
        for p in [mutex, submitMutex] { p.deallocate() }
        for p in [wake, finished] { p.deallocate() }
    }

    /// Stops and joins the workers (each holds a reference to the pool until then); the pool runs everything
    /// inline afterwards.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    /// Calls `task(i)` once for every i in 0..<count, spread over the threads; returns when all are done.
    func run(tasks count: Int, _ task: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads.isEmpty || pthread_mutex_trylock(submitMutex) != 0 {
            for i in 0..<count { task(i) }
            return
        }
        defer { pthread_mutex_unlock(submitMutex) }
        withoutActuallyEscaping(task) { task in
            nextTask.store(0, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            body = task
            taskCount = count
            busyWorkers = threads.count
            generation += 1
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)

            drain(task, count)

            pthread_mutex_lock(mutex)
            while busyWorkers > 0 { pthread_cond_wait(finished, mutex) }
            body = nil
            pthread_mutex_unlock(mutex)
        }
    }

    /// Splits 0..<count into consecutive ranges of `chunk` elements (the last may be shorter) and runs
    /// `body(range)` for each, in parallel.
    func forEachChunk(_ count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        precondition(chunk > 0)
        let chunks = (count + chunk - 1) / chunk
        run(tasks: chunks) { i in body(i * chunk..<Swift.min(count, (i + 1) * chunk)) }
    }

    private func drain(_ task: (Int) -> Void, _ count: Int) {
        while true {
            let i = nextTask.add(1, ordering: .relaxed).oldValue
            if i >= count { return }
            task(i)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            pthread_mutex_lock(mutex)
            while generation == seen && !stopping { pthread_cond_wait(wake, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            seen = generation
            pthread_mutex_unlock(mutex)
            runPublishedJob()
            pthread_mutex_lock(mutex)
            busyWorkers -= 1
            if busyWorkers == 0 { pthread_cond_signal(finished) }
            pthread_mutex_unlock(mutex)
        }
    }

    /// Runs tasks of the current job. A separate function so that the worker's reference to the job's closure
    /// is released before it reports done (`run` checks the closure did not escape).
    @inline(never) private func runPublishedJob() {
        pthread_mutex_lock(mutex)
        let task = body!
        let count = taskCount
        pthread_mutex_unlock(mutex)
        drain(task, count)
    }
}

/// Task sizes: enough work per task to hide the hand-out cost, fixed so that results do not depend on threads.
enum Grain {
    /// Elements per task for streaming elementwise kernels.
    static let elements = 32 * 1024
    /// Rows per task for a row-wise kernel whose rows have `rowLength` elements.
    static func rows(rowLength: Int) -> Int { max(1, elements / max(1, rowLength)) }
}
