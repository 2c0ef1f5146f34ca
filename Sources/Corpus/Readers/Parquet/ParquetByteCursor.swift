/// A decoding failure at `offset` bytes into the buffer being decoded; the reader turns it into a
/// `ReaderError.corrupt` after adding where that buffer lies in the file.
struct ParquetError: Error {
    var offset: Int
    var message: String
}

/// Bounds-checked reads from a byte buffer. Every length and count in a Parquet file is untrusted,
/// so all access goes through here and fails with a `ParquetError` instead of trapping.
struct ParquetCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    func failure(_ message: String) -> ParquetError { ParquetError(offset: position, message: message) }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw failure("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next `count` bytes as a view into the buffer (no copy).
    mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw failure("length \(count) exceeds the \(remaining) bytes left")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func littleEndian<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let raw = try take(MemoryLayout<T>.size)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    /// Unsigned LEB128 varint (Thrift compact protocol, RLE run headers, delta encodings).
    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let b = try byte()
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
        }
        throw failure("varint longer than 10 bytes")
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// A varint that must fit a non-negative Int no larger than `limit` (counts and lengths).
    mutating func count(limit: Int, _ what: String) throws -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw failure("\(what) \(v) exceeds \(limit)") }
        return Int(v)
    }
}
