import Synchronization
/// The CPU backend: OpenBLAS (loaded at run time) for matrix products, SIMD Swift kernels for the rest, run on
/// a fixed set of threads. Computes in f32 (see `Device`). The Swift kernels give the same bits for any
/// `threadCount`; matmul (OpenBLAS) is reproducible for a given thread count.
public final class CPUDevice: Device {
    /// Threads per op (the caller included), also given to OpenBLAS.
    public let threadCount: Int
    let pool: CPUThreadPool
    /// Scratch of the attention kernel, kept between calls (every layer of every step) so its pages stay mapped.
    let attentionWorkspace = Mutex(AttentionWorkspace())

    /// Loads OpenBLAS (choosing OPENBLAS_CORETYPE from the CPU if unset) and starts `threads` threads (default:
    /// all online cores). OpenBLAS's thread count is process-wide: the last device created sets it.
    public init(threads: Int? = nil) throws {
        try BLAS.load()
        threadCount = max(1, threads ?? onlineCoreCount())
        BLAS.threadCount = threadCount
        pool = CPUThreadPool(threadCount: threadCount)
    }

    deinit { pool.shutdown() }

    public var name: String {
        let core = BLAS.coreTypeSetting
        let source = core.value == nil ? "detected by OpenBLAS" : core.chosenHere ? "chosen from CPU flags" : "from environment"
        return "CPU (\(threadCount) threads; OpenBLAS \(BLAS.coreName), OPENBLAS_CORETYPE \(core.value ?? "unset") \(source))"
    }

    public func allocate(byteCount: Int, zeroed: Bool) -> any TensorStorage {
        CPUStorage(device: self, byteCount: byteCount, zeroed: zeroed)
    }

    public func write(_ bytes: UnsafeRawBufferPointer, to tensor: Tensor) {
        precondition(bytes.count == tensor.byteCount, "write: \(bytes.count) bytes for a tensor of \(tensor.byteCount)")
        if bytes.count > 0 { tensor.cpuAddress("write").copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }

    public func read(_ tensor: Tensor, into bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count == tensor.byteCount, "read: \(bytes.count) bytes for a tensor of \(tensor.byteCount)")
        if bytes.count > 0 { bytes.baseAddress!.copyMemory(from: tensor.cpuAddress("read"), byteCount: bytes.count) }
    }

    public func synchronize() {}
}
