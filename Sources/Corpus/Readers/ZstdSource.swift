import CCompression

/// Streaming zstd decoding (ZSTD_decompressStream): one compressed chunk and one output chunk in
/// memory at a time, whatever the file size. Concatenated frames decode as one stream.
final class ZstdSource: ByteSource {
    private let input: FileInput
    private let context: OpaquePointer
    private let inBuffer: UnsafeMutablePointer<UInt8>
    private let outBuffer: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    private var inCount = 0, inPos = 0
    private var atEOF = false
    /// Last ZSTD_decompressStream hint: 0 means the current frame is complete.
    private var pending = 0
    var path: String { input.path }

    init(path: String, chunkSize: Int = readerChunkSize) throws {
        input = try FileInput(path: path)
        guard let context = ZSTD_createDCtx() else {
            throw ReaderError.cannotOpen(path: path, reason: "ZSTD_createDCtx failed")
        }
        self.context = context
        self.chunkSize = chunkSize
        inBuffer = .allocate(capacity: chunkSize)
        outBuffer = .allocate(capacity: chunkSize)
    }

    deinit {
        ZSTD_freeDCtx(context)
        inBuffer.deallocate()
        outBuffer.deallocate()
    }

    /// Compressed bytes consumed so far: the file offset the decoder has reached.
    private var consumed: Int { input.offset - (inCount - inPos) }

    func nextChunk() throws -> [UInt8]? {
        while true {
            if inPos == inCount && !atEOF {
                inCount = try input.read(into: inBuffer, capacity: chunkSize)
                inPos = 0
                atEOF = inCount == 0
            }
            // Clean end only between frames; otherwise keep calling to flush buffered output.
            if atEOF && pending == 0 { return nil }
            var src = ZSTD_inBuffer(src: inBuffer, size: inCount, pos: inPos)
            var dst = ZSTD_outBuffer(dst: outBuffer, size: chunkSize, pos: 0)
            let hint = ZSTD_decompressStream(context, &dst, &src)
            inPos = src.pos
            if ZSTD_isError(hint) != 0 {
                let message = String(cString: ZSTD_getErrorName(hint))
                throw ReaderError.corrupt(path: path, format: "zstd", offset: consumed, message: message)
            }
            pending = hint
            if dst.pos > 0 { return Array(UnsafeBufferPointer(start: outBuffer, count: dst.pos)) }
            if atEOF && pending != 0 {
                throw ReaderError.truncated(path: path, format: "zstd", offset: consumed)
            }
        }
    }
}
