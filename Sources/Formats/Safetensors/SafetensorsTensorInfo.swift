/// One tensor of a safetensors file, validated against the file at open time.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major (C order) dimensions, outermost first, as in PyTorch.
    public let shape: [Int]
    /// Absolute byte range of the data in the file.
    public let byteRange: Range<Int>

    public init(name: String, dtype: SafetensorsDType, shape: [Int], byteRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    public var elementCount: Int { shape.reduce(1, *) }
}
