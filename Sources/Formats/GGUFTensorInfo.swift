/// One tensor's descriptor, validated against the file at open time.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions as stored, ggml order: `shape[0]` (ne0) is the contiguous, fastest-varying one.
    public let shape: [Int]
    public let type: GGMLType
    /// Absolute byte offset of the data in the file (data section start + stored relative offset).
    public let offset: Int
    public let byteCount: Int

    public init(name: String, shape: [Int], type: GGMLType, offset: Int, byteCount: Int) {
        self.name = name
        self.shape = shape
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }

    public var elementCount: Int { shape.reduce(1, *) }
}
