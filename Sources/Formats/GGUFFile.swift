#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GGUF file (llama.cpp's model container), memory-mapped read-only.
///
/// Opening validates the whole layout: header, every metadata value, every tensor
/// descriptor and that each tensor's bytes lie inside the file. Large metadata arrays
/// are not decoded until asked for. Immutable after init, hence safe to share.
public final class GGUFFile: @unchecked Sendable {
    public let path: String
    /// 2 or 3.
    public let version: UInt32
    public let fileSize: Int
    /// Metadata keys in file order.
    public let keys: [String]
    /// Tensor descriptors in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, default 32.
    public let alignment: Int
    /// Absolute offset where the tensor data section starts.
    public let dataOffset: Int

    let reader: ByteReader
    let entries: [MetadataEntry]
    let keyIndex: [String: Int]
    private let tensorIndex: [String: Int]
    private let mapping: UnsafeMutableRawPointer?

    public init(path: String) throws {
        let (mapping, size) = try Self.map(path)
        let reader = ByteReader(base: mapping.map { UnsafeRawPointer($0) }, count: size, path: path)
        let parsed: ParsedGGUF
        do {
            parsed = try GGUFParser(r: reader).parse()
        } catch {
            if let mapping { munmap(mapping, size) }
            throw error
        }
        self.path = path
        self.mapping = mapping
        self.fileSize = size
        self.reader = reader
        self.version = parsed.version
        self.entries = parsed.entries
        self.keyIndex = parsed.keyIndex
        self.keys = parsed.entries.map(\.key)
        self.tensors = parsed.tensors
        self.tensorIndex = parsed.tensorIndex
        self.alignment = parsed.alignment
        self.dataOffset = parsed.dataOffset
    }

    deinit {
        if let mapping { munmap(mapping, fileSize) }
    }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The tensor's bytes, straight from the mapping (no copy). Valid while this
    /// `GGUFFile` is alive. `info` must come from this file.
    public func tensorData(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(info.offset >= 0 && info.byteCount >= 0 && info.byteCount <= fileSize - info.offset,
                     "tensor \(info.name) is not inside \(path)")
        return reader.bytes(info.offset..<(info.offset + info.byteCount))
    }

    /// Maps the whole file read-only. An empty file gets no mapping (mmap rejects length 0);
    /// the parser then reports it as truncated.
    private static func map(_ path: String) throws -> (UnsafeMutableRawPointer?, Int) {
        func fail(_ what: String) -> GGUFError {
            let msg = String(cString: strerror(errno))
            return GGUFError(path: path, offset: nil, reason: .io("\(what): \(msg)"))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail("cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError(path: path, offset: nil, reason: .io("not a regular file"))
        }
        let size = Int(st.st_size)
        if size == 0 { return (nil, 0) }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else { throw fail("cannot mmap") }
        return (p, size)
    }
}
