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

    /// Compresses `data` into one zstd frame at `level`.
    public static func compress(_ data: [UInt8], level: Int32 = 3) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let size = ZSTD_compress(&out, out.count, data, data.count, level)
        precondition(ZSTD_isError(size) == 0, "zstd compression failed: \(String(cString: ZSTD_getErrorName(size)))")
        out.removeLast(out.count - size)
        return out
    }
}
