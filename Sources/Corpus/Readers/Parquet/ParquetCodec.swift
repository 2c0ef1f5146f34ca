import CCompression

/// Page decompression for the codecs Parquet writers use (parquet.thrift CompressionCodec).
enum ParquetCodec {
    static let names: [Int32: String] = [
        0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4", 6: "ZSTD", 7: "LZ4_RAW",
    ]

    /// Decompresses one page body to exactly `size` bytes (the header's uncompressed size, which
    /// also bounds the allocation so a corrupt stream cannot ask for more).
    static func decompress(_ input: UnsafeRawBufferPointer, codec: Int32, size: Int) throws -> [UInt8] {
        let output: [UInt8]
        switch codec {
        case 0: output = Array(input)
        case 1: output = try Snappy.decompress(input, expectedLength: size)
        case 2: output = try inflateGzip(input, size: size)
        case 6:
            do {
                output = try Zstd.decompress(Array(input), source: "page")
            } catch let error as ZstdError {
                throw ParquetError(offset: error.offset, message: "zstd: \(error.message)")
            }
        default:
            throw ParquetError(offset: 0, message: "unsupported compression codec \(names[codec] ?? "#\(codec)")")
        }
        guard output.count == size else {
            throw ParquetError(offset: 0, message: "page decompressed to \(output.count) bytes, header says \(size)")
        }
        return output
    }

    /// One gzip member inflated in a single call (windowBits 16 + 15 expects the gzip wrapper).
    private static func inflateGzip(_ input: UnsafeRawBufferPointer, size: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError(offset: 0, message: "gzip: inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        guard input.count <= UInt32.max, size <= UInt32.max else {
            throw ParquetError(offset: 0, message: "gzip: page too large")
        }
        var status: Int32 = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = buffer.baseAddress
            stream.avail_out = UInt32(size)
            status = inflate(&stream, Z_FINISH)
            count = size - Int(stream.avail_out)
        }
        guard status == Z_STREAM_END else {
            let detail = stream.msg.map { String(cString: $0) } ?? (status == Z_BUF_ERROR ? "data ends early or exceeds the page size" : "error \(status)")
            throw ParquetError(offset: Int(stream.total_in), message: "gzip: \(detail)")
        }
        return output
    }
}
