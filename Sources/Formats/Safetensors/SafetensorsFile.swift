/// A safetensors file, memory-mapped read-only: tensors are views into the mapping, never copies.
///
/// Opening validates the whole header (see `SafetensorsHeaderParser`), so every tensor's bytes are
/// known to lie inside the file. Immutable after init, hence safe to share across threads.
public final class SafetensorsFile: @unchecked Sendable {
    /// The reference library refuses headers above 100 MB; so do we.
    public static let maxHeaderSize = 100_000_000

    public let path: String
    public let fileSize: Int
    /// Length of the JSON header (including its padding), as stored in the first 8 bytes.
    public let headerSize: Int
    /// Absolute offset of the data section (8 + headerSize).
    public var dataOffset: Int { 8 + headerSize }
    /// The free-form string map `__metadata__`, if present.
    public let metadata: [String: String]?
    /// Tensors in data order.
    public let tensors: [SafetensorsTensorInfo]

    private let mapping: MappedFile
    private let index: [String: Int]

    public init(path: String) throws(SafetensorsError) {
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw SafetensorsError(path: path, reason: .io(error.message))
        }
        let parsed = try SafetensorsHeaderParser(path: path, file: mapping.bytes).parse()
        self.path = path
        self.fileSize = mapping.count
        self.headerSize = parsed.headerSize
        self.metadata = parsed.metadata
        self.tensors = parsed.tensors
        self.index = Dictionary(uniqueKeysWithValues: parsed.tensors.enumerated().map { ($1.name, $0) })
    }

    public func tensor(named name: String) -> SafetensorsTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor's bytes, straight from the mapping. Valid while this `SafetensorsFile` is alive;
    /// `info` must come from this file.
    public func data(_ info: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        mapping.bytes(info.byteRange)
    }

    public func data(named name: String) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        data(try info(name))
    }

    func info(_ name: String) throws(SafetensorsError) -> SafetensorsTensorInfo {
        guard let info = tensor(named: name) else { throw SafetensorsError(path: path, tensor: name, reason: .tensorNotFound) }
        return info
    }
}
