/// A dense, contiguous, row-major array of `dtype` elements in a device's memory.
///
/// A `Tensor` is a handle: copies share storage, and device ops write through it in place. A view (`rows`,
/// `reshaped`, `flattened`) is the same storage with another offset or shape; it stays contiguous.
public struct Tensor: Sendable {
    /// The memory this tensor lives in.
    public let storage: any TensorStorage
    /// Position of the first element in `storage`, in elements of `dtype`.
    public let offset: Int
    /// Extent of each dimension, outermost first.
    public let shape: [Int]
    public let dtype: DType

    /// Wraps `storage` (used by backends; model code makes tensors with the constructors below).
    public init(storage: any TensorStorage, offset: Int = 0, shape: [Int], dtype: DType) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let count = shape.reduce(1, *)
        precondition(offset >= 0 && (offset + count) * dtype.byteSize <= storage.byteCount,
                     "tensor of shape \(shape) at offset \(offset) does not fit its storage of \(storage.byteCount) bytes")
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.dtype = dtype
    }

    public var device: any Device { storage.device }
    public var rank: Int { shape.count }
    /// Number of elements (1 for a scalar of shape []).
    public var elementCount: Int { shape.reduce(1, *) }
    public var byteCount: Int { elementCount * dtype.byteSize }
    /// Byte position of the first element in `storage`.
    public var byteOffset: Int { offset * dtype.byteSize }

    /// Number of rows and row length when the tensor is read as a matrix: all leading dimensions form the rows,
    /// the last dimension is a row. A tensor of rank 0 or 1 is one row.
    public var matrixShape: (rows: Int, columns: Int) {
        guard let last = shape.last else { return (1, 1) }
        return (shape.dropLast().reduce(1, *), last)
    }

    /// Same storage, another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == elementCount, "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage: storage, offset: offset, shape: newShape, dtype: dtype)
    }

    /// Same storage as one dimension.
    public func flattened() -> Tensor { reshaped([elementCount]) }

    /// The sub-tensor `range` of the first dimension (a view: no copy).
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of bounds for shape \(shape)")
        let rowSize = shape.dropFirst().reduce(1, *)
        return Tensor(storage: storage, offset: offset + range.lowerBound * rowSize,
                      shape: [range.count] + shape.dropFirst(), dtype: dtype)
    }

    /// Whether both tensors cover exactly the same elements.
    public func isSameMemory(as other: Tensor) -> Bool {
        storage === other.storage && offset == other.offset && byteCount == other.byteCount
    }
}

extension Tensor {
    /// A zero-filled tensor on `device`.
    public static func zeros(_ shape: [Int], dtype: DType = .f32, on device: any Device) -> Tensor {
        Tensor(storage: device.allocate(byteCount: shape.reduce(1, *) * dtype.byteSize, zeroed: true),
               shape: shape, dtype: dtype)
    }

    /// A tensor whose contents are unspecified until written (for outputs an op overwrites completely).
    public static func uninitialized(_ shape: [Int], dtype: DType = .f32, on device: any Device) -> Tensor {
        Tensor(storage: device.allocate(byteCount: shape.reduce(1, *) * dtype.byteSize, zeroed: false),
               shape: shape, dtype: dtype)
    }

    /// A tensor holding `values` (row-major, converted to `dtype`).
    public init(_ values: [Float], shape: [Int], dtype: DType = .f32, on device: any Device) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        self = .uninitialized(shape, dtype: dtype, on: device)
        let bytes = dtype.encode(values)
        bytes.withUnsafeBytes { device.write($0, to: self) }
    }

    /// A tensor holding raw `bytes` already encoded as `dtype` (e.g. a safetensors payload).
    public init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType, on device: any Device) {
        self = .uninitialized(shape, dtype: dtype, on: device)
        precondition(bytes.count == byteCount, "\(bytes.count) bytes for \(shape) \(dtype) (\(byteCount) needed)")
        device.write(bytes, to: self)
    }

    /// The elements converted to f32, row-major.
    public func floats() -> [Float] {
        let raw = bytes()
        return raw.withUnsafeBytes { dtype.decode($0) }
    }

    /// The elements as stored (`dtype` encoding, little-endian), row-major.
    public func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
            device.read(self, into: UnsafeMutableRawBufferPointer(out))
            initialized = byteCount
        }
    }
}
