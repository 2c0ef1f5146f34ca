/// Decompressor for Snappy's raw block format (the one Parquet pages use, without framing): a
/// varint uncompressed length, then literals and back-references. Every length and offset is
/// checked before use, so corrupt input throws `ParquetError` (offset into the compressed block)
/// instead of reading or writing out of bounds.
enum Snappy {
    static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int? = nil) throws -> [UInt8] {
        var cursor = ParquetCursor(input)
        let length = try cursor.count(limit: Int(UInt32.max), "snappy uncompressed length")
        if let expectedLength, length != expectedLength {
            throw cursor.failure("snappy block declares \(length) bytes, expected \(expectedLength)")
        }
        return try [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            count = try decodeElements(input, from: cursor.position, into: buffer)
        }
    }

    /// Decodes the elements after the length preamble into `output`, which they must fill exactly.
    /// Raw pointers because this loop is most of the cost of reading snappy Parquet.
    private static func decodeElements(_ input: UnsafeRawBufferPointer, from start: Int,
                                       into output: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let end = input.count, capacity = output.count
        guard let source = input.baseAddress, let out = output.baseAddress else {
            guard start == end, capacity == 0 else { throw ParquetError(offset: start, message: "snappy block has data but no room") }
            return 0
        }
        var i = start, written = 0
        func failure(_ message: String) -> ParquetError { ParquetError(offset: i, message: message) }
        /// Little-endian integer of `count` (1...4) bytes at `i`.
        func littleEndian(_ count: Int) throws -> Int {
            guard end - i >= count else { throw failure("snappy element cut short") }
            var value = 0
            for k in 0..<count { value |= Int(source.load(fromByteOffset: i + k, as: UInt8.self)) << (8 * k) }
            i += count
            return value
        }
        while i < end {
            let tag = source.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            let kind = tag & 3
            if kind == 0 {  // literal: length-1 in the tag, or (tag 60...63) in 1-4 following bytes
                let short = Int(tag >> 2)
                let literal = (short < 60 ? short : try littleEndian(short - 59)) + 1
                guard literal <= end - i else { throw failure("snappy literal of \(literal) bytes exceeds the \(end - i) left") }
                guard literal <= capacity - written else { throw failure("snappy literal overruns the output") }
                if literal <= 16, end - i >= 16, capacity - written >= 16 {
                    // Short literals (most of them): two word moves beat a memcpy call.
                    let target = UnsafeMutableRawPointer(out + written)
                    target.storeBytes(of: source.loadUnaligned(fromByteOffset: i, as: UInt64.self), as: UInt64.self)
                    target.storeBytes(of: source.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                } else {
                    UnsafeMutableRawPointer(out + written).copyMemory(from: source + i, byteCount: literal)
                }
                i += literal
                written += literal
                continue
            }
            let length: Int, offset: Int
            if kind == 1 {  // 3-bit length-4, 11-bit offset
                guard i < end else { throw failure("snappy element cut short") }
                length = 4 + Int((tag >> 2) & 7)
                offset = Int(tag >> 5) << 8 | Int(source.load(fromByteOffset: i, as: UInt8.self))
                i += 1
            } else {  // 6-bit length-1, 2- or 4-byte offset
                length = 1 + Int(tag >> 2)
                offset = try littleEndian(kind == 2 ? 2 : 4)
            }
            guard offset > 0, offset <= written else {
                throw failure("snappy copy offset \(offset) outside the \(written) bytes written")
            }
            guard length <= capacity - written else { throw failure("snappy copy overruns the output") }
            let target = out + written
            if offset >= 8, capacity - written >= length + 8 {
                // Word-at-a-time: each load reads bytes already final since offset >= 8; the
                // overshoot past `length` stays inside the buffer and is overwritten later.
                var k = 0
                while k < length {
                    UnsafeMutableRawPointer(target + k).storeBytes(
                        of: UnsafeRawPointer(target + k - offset).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    k += 8
                }
            } else {
                // Short distances repeat the last `offset` bytes, so go byte by byte.
                for k in 0..<length { target[k] = target[k - offset] }
            }
            written += length
        }
        guard written == capacity else { throw failure("snappy block produced \(written) of \(capacity) bytes") }
        return written
    }
}
