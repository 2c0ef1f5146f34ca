/// A stream of decoded bytes handed out a chunk at a time (1 MiB by default), so readers above it
/// never hold more than a chunk plus the current record.
protocol ByteSource: AnyObject {
    var path: String { get }
    /// The next non-empty chunk, or nil at the end of the stream.
    func nextChunk() throws -> [UInt8]?
}

/// Default chunk size for file reads and decoder output.
let readerChunkSize = 1 << 20

/// Opens `path`, choosing the decoder from the extension: .zst, .gz, otherwise plain bytes.
func openByteSource(_ path: String, chunkSize: Int = readerChunkSize) throws -> ByteSource {
    if path.hasSuffix(".zst") || path.hasSuffix(".zstd") { return try ZstdSource(path: path, chunkSize: chunkSize) }
    if path.hasSuffix(".gz") { return try GzipSource(path: path, chunkSize: chunkSize) }
    return try PlainSource(path: path, chunkSize: chunkSize)
}

/// Uncompressed file bytes.
final class PlainSource: ByteSource {
    private let input: FileInput
    private let buffer: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    var path: String { input.path }

    init(path: String, chunkSize: Int = readerChunkSize) throws {
        input = try FileInput(path: path)
        self.chunkSize = chunkSize
        buffer = .allocate(capacity: chunkSize)
    }

    deinit { buffer.deallocate() }

    func nextChunk() throws -> [UInt8]? {
        let n = try input.read(into: buffer, capacity: chunkSize)
        return n == 0 ? nil : Array(UnsafeBufferPointer(start: buffer, count: n))
    }
}
