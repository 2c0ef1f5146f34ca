import CCompression

/// A zstd stream that failed to decode, with the byte offset in the compressed input.
public struct ZstdError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let offset: Int
    public let message: String
    public var description: String { "\(source): zstd error at compressed byte \(offset): \(message)" }
}

public enum Zstd {
    /// Decompresses a whole buffer of one or more zstd frames (streaming API: works when frames do not
    /// record their content size, as `zstd` the CLI and mosaicml-streaming write them).
    public static func decompress(_ data: [UInt8], source: String) throws -> [UInt8] {
        guard let stream = ZSTD_createDStream() else { throw ZstdError(source: source, offset: 0, message: "out of memory") }
        defer { ZSTD_freeDStream(stream) }
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 4)
        var chunk = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        var pending: Int = 0  // >0 while a frame is incomplete
        var consumed = 0
        try data.withUnsafeBytes { raw in
            var input = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            while input.pos < input.size || pending > 0 {
                let before = input.pos
                var produced = 0
                let hint: Int = chunk.withUnsafeMutableBytes { out in
                    var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let r = ZSTD_decompressStream(stream, &buffer, &input)
                    produced = buffer.pos
                    return r
                }
                if ZSTD_isError(hint) != 0 {
                    throw ZstdError(source: source, offset: input.pos, message: String(cString: ZSTD_getErrorName(hint)))
                }
                output.append(contentsOf: chunk[0..<produced])
                pending = hint
                consumed = input.pos
                if input.pos == before && produced == 0 {
                    // No progress with input exhausted: the last frame is cut short.
                    throw ZstdError(source: source, offset: consumed, message: "truncated input (frame incomplete)")
                }
            }
        }
        return output
    }

    /// Compresses `data` into one zstd frame at `level`, with `workers` threads. zstd's multithreaded mode (one
    /// worker or more) writes the same bytes whatever the number of workers, so a build's compressed shards do not
    /// depend on the machine's cores (they differ from the single-threaded mode's, which is never used).
    public static func compress(_ data: [UInt8], level: Int32 = 3, workers: Int = 1) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { preconditionFailure("zstd: cannot allocate a compression context") }
        defer { ZSTD_freeCCtx(context) }
        check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
        // A libzstd built without threads refuses workers; it then writes its single-threaded mode's frames.
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(max(1, min(workers, 200))))
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let size = out.withUnsafeMutableBytes { output in
            data.withUnsafeBytes { input in
                ZSTD_compress2(context, output.baseAddress, output.count, input.baseAddress, input.count)
            }
        }
        check(size)
        out.removeLast(out.count - size)
        return out
    }

    private static func check(_ code: Int) {
        precondition(ZSTD_isError(code) == 0, "zstd compression failed: \(String(cString: ZSTD_getErrorName(code)))")
    }
}
