#if _endian(big)
#error("GGUF reader assumes a little-endian host")
#endif

/// Bounds-checked little-endian reads over a mapped byte range.
/// Every read checks the remaining length first, so malformed files throw instead of crashing.
struct ByteReader {
    let base: UnsafeRawPointer?
    let count: Int
    let path: String

    func error(_ offset: Int?, _ reason: GGUFError.Reason) -> GGUFError {
        GGUFError(path: path, offset: offset, reason: reason)
    }

    /// Throws unless `n` bytes starting at `offset` lie inside the file.
    @inline(__always)
    func require(_ n: Int, at offset: Int, _ what: @autoclosure () -> String) throws {
        // offset is always within 0...count; n is never negative.
        if n > count - offset {
            throw error(offset, .truncated(reading: what(), needed: n, available: count - offset))
        }
    }

    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, at offset: inout Int, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, at: offset, what())
        let v = base!.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    func u32(_ offset: inout Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        try load(UInt32.self, at: &offset, what())
    }

    func u64(_ offset: inout Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        try load(UInt64.self, at: &offset, what())
    }

    /// Reads a count and rejects it unless `count * minElementSize` bytes remain,
    /// so absurd counts fail fast instead of driving huge loops or allocations.
    func readCount(_ offset: inout Int, elementSize: Int, _ what: String) throws -> Int {
        let start = offset
        let n = try u64(&offset, "\(what) count")
        let (bytes, overflow) = n.multipliedReportingOverflow(by: UInt64(max(elementSize, 1)))
        if overflow || bytes > UInt64(count - offset) {
            throw error(start, .absurdCount(what: what, count: n))
        }
        return Int(n)
    }

    /// A GGUF string: u64 byte length then UTF-8 bytes (no terminator).
    /// Returns the byte range without decoding, so callers can skip cheaply.
    func stringRange(_ offset: inout Int, _ what: @autoclosure () -> String) throws -> Range<Int> {
        let start = offset
        let n = try u64(&offset, "\(what()) length")
        if n > UInt64(count - offset) {
            throw error(start, .stringTooLong(n))
        }
        let r = offset..<(offset + Int(n))
        offset = r.upperBound
        return r
    }

    func bytes(_ r: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + r.lowerBound }, count: r.count)
    }

    func decodeString(_ r: Range<Int>) -> String {
        // Invalid UTF-8 is repaired (U+FFFD) rather than rejected: names stay readable.
        String(decoding: bytes(r), as: UTF8.self)
    }

    func string(_ offset: inout Int, _ what: @autoclosure () -> String) throws -> String {
        decodeString(try stringRange(&offset, what()))
    }
}
