/// Memory owned by a device (host RAM for the CPU backend, device memory for a GPU backend). Model code only
/// passes it around inside `Tensor`s; each backend knows its own concrete type.
public protocol TensorStorage: AnyObject, Sendable {
    /// The device that owns this memory and runs every op on it.
    var device: any Device { get }
    /// Size of the allocation in bytes.
    var byteCount: Int { get }
}
