/// The delta encodings of Encodings.md: DELTA_BINARY_PACKED integers and the two byte-array
/// encodings built on it.
enum ParquetDelta {
    /// DELTA_BINARY_PACKED: a header (block size, miniblocks per block, value count, first value),
    /// then blocks of a min delta, one bit width per miniblock and the bit-packed miniblocks.
    /// Arithmetic wraps, as writers' does, so INT32 columns come out right once truncated.
    static func integers(_ cursor: inout ParquetCursor, count: Int) throws -> [Int64] {
        let blockSize = try cursor.count(limit: 1 << 16, "delta block size")
        let miniblocks = try cursor.count(limit: blockSize, "delta miniblock count")
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 8 == 0 else {
            throw cursor.failure("bad delta block layout: \(blockSize) values in \(miniblocks) miniblocks")
        }
        let total = try cursor.count(limit: Int(Int32.max), "delta value count")
        guard total == count else { throw cursor.failure("delta stream holds \(total) values, page needs \(count)") }
        var last = try cursor.zigzag()
        var values: [Int64] = []
        values.reserveCapacity(min(total, 1 << 16))
        if total > 0 { values.append(last) }
        let perMiniblock = blockSize / miniblocks
        while values.count < total {
            let minDelta = try cursor.zigzag()
            let widths = try cursor.take(miniblocks)
            // Miniblocks past the last value are absent, though their widths are present.
            for width in widths where values.count < total {
                guard width <= 64 else { throw cursor.failure("delta bit width \(width) exceeds 64") }
                var bits = ParquetBitReader(try cursor.take(perMiniblock * Int(width) / 8))
                for _ in 0..<min(perMiniblock, total - values.count) {
                    last = last &+ minDelta &+ Int64(bitPattern: bits.read(Int(width)))
                    values.append(last)
                }
            }
        }
        return values
    }

    /// DELTA_LENGTH_BYTE_ARRAY: all lengths delta-packed, then the bytes back to back.
    static func lengthPrefixed(_ cursor: inout ParquetCursor, count: Int, _ value: (UnsafeRawBufferPointer) throws -> Void) throws {
        for length in try integers(&cursor, count: count) {
            guard length >= 0 else { throw cursor.failure("negative byte array length \(length)") }
            try value(try cursor.take(Int(length)))
        }
    }

    /// DELTA_BYTE_ARRAY: each value is a prefix of the one before plus a suffix; prefix lengths
    /// are delta-packed, suffixes are DELTA_LENGTH_BYTE_ARRAY.
    static func prefixed(_ cursor: inout ParquetCursor, count: Int, _ value: (UnsafeRawBufferPointer) throws -> Void) throws {
        let prefixes = try integers(&cursor, count: count)
        var previous: [UInt8] = []
        var index = 0
        try lengthPrefixed(&cursor, count: count) { suffix in
            let prefix = prefixes[index]
            index += 1
            guard prefix >= 0, prefix <= previous.count else {
                throw ParquetError(offset: 0, message: "delta prefix \(prefix) longer than the previous value")
            }
            previous.removeSubrange(Int(prefix)...)
            previous.append(contentsOf: suffix)
            try previous.withUnsafeBytes(value)
        }
    }
}
