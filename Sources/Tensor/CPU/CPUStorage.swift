/// Host memory for `CPUDevice` tensors, 64-byte aligned (one cache line, one AVX-512 vector).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

final class CPUStorage: TensorStorage, @unchecked Sendable {
    // Safety: the pointer is immutable; writes through it are ordered by the ops that run on the device.
    let device: any Device
    let byteCount: Int
    let base: UnsafeMutableRawPointer

    init(device: CPUDevice, byteCount: Int, zeroed: Bool) {
        precondition(byteCount >= 0, "negative allocation size \(byteCount)")
        var pointer: UnsafeMutableRawPointer?
        let rc = posix_memalign(&pointer, 64, max(64, byteCount))
        guard rc == 0, let pointer else { fatalError("out of memory allocating \(byteCount) bytes") }
        if zeroed { memset(pointer, 0, byteCount) }
        self.device = device
        self.byteCount = byteCount
        self.base = pointer
    }

    deinit { free(base) }
}

extension Tensor {
    /// Address of the first element; `op` names the caller in the failure message for a non-CPU tensor.
    func cpuAddress(_ op: StaticString) -> UnsafeMutableRawPointer {
        guard let cpu = storage as? CPUStorage else {
            preconditionFailure("\(op): tensor lives on \(storage.device.name), not on a CPUDevice")
        }
        return cpu.base + byteOffset
    }

    /// Address of the first element of an f32 tensor (the CPU kernels compute in f32 only).
    func f32(_ op: StaticString) -> UnsafeMutablePointer<Float> {
        precondition(dtype == .f32, "\(op): the CPU backend computes in f32, got a \(dtype) tensor of shape \(shape)")
        return cpuAddress(op).assumingMemoryBound(to: Float.self)
    }
}

/// Precondition that two tensors have the same element count (elementwise ops ignore shape otherwise).
func checkSameCount(_ a: Tensor, _ b: Tensor, _ op: StaticString) {
    precondition(a.elementCount == b.elementCount, "\(op): element counts differ (\(a.shape) vs \(b.shape))")
}
