import CCompression

/// Streaming gzip decoding with zlib's inflate (gzip header via 16 + MAX_WBITS). Concatenated
/// members (what `cat a.gz b.gz` or pigz produce) decode as one stream, like `gzip -d` does.
final class GzipSource: ByteSource {
    private let input: FileInput
    private var stream = z_stream()
    private let inBuffer: UnsafeMutablePointer<UInt8>
    private let outBuffer: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    private var atEOF = false
    /// True once a member has started and until its trailer has been read.
    private var inMember = false
    var path: String { input.path }

    init(path: String, chunkSize: Int = readerChunkSize) throws {
        input = try FileInput(path: path)
        self.chunkSize = chunkSize
        inBuffer = .allocate(capacity: chunkSize)
        outBuffer = .allocate(capacity: chunkSize)
        // inflateInit2 is a C macro; call the function it expands to.
        let status = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            inBuffer.deallocate()
            outBuffer.deallocate()
            throw ReaderError.cannotOpen(path: path, reason: "inflateInit2 failed (\(status))")
        }
    }

    deinit {
        inflateEnd(&stream)
        inBuffer.deallocate()
        outBuffer.deallocate()
    }

    private var consumed: Int { input.offset - Int(stream.avail_in) }

    func nextChunk() throws -> [UInt8]? {
        while true {
            if stream.avail_in == 0 && !atEOF {
                let n = try input.read(into: inBuffer, capacity: chunkSize)
                atEOF = n == 0
                stream.next_in = inBuffer
                stream.avail_in = UInt32(n)
            }
            if atEOF && stream.avail_in == 0 && !inMember { return nil }
            stream.next_out = outBuffer
            stream.avail_out = UInt32(chunkSize)
            let status = inflate(&stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                inMember = false
                inflateReset(&stream)  // ready for a following member, if any
            case Z_OK, Z_BUF_ERROR:
                inMember = true
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "inflate error \(status)"
                throw ReaderError.corrupt(path: path, format: "gzip", offset: consumed, message: message)
            }
            if produced > 0 { return Array(UnsafeBufferPointer(start: outBuffer, count: produced)) }
            if atEOF && stream.avail_in == 0 && inMember {
                throw ReaderError.truncated(path: path, format: "gzip", offset: consumed)
            }
        }
    }
}
