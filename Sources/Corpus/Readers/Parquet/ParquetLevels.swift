/// Parquet's RLE / bit-packing hybrid (Encodings.md), used for definition levels, dictionary
/// indices and RLE booleans: runs whose header's low bit picks a repeated value or groups of
/// eight bit-packed values.
enum ParquetHybrid {
    /// Decodes `count` values of `bitWidth` (0...32) bits. A final bit-packed run may stop short
    /// of its declared groups as long as the values asked for are present.
    static func decode(_ cursor: inout ParquetCursor, bitWidth: Int, count: Int) throws -> [UInt32] {
        guard (0...32).contains(bitWidth) else { throw cursor.failure("bit width \(bitWidth) out of range") }
        var values: [UInt32] = []
        values.reserveCapacity(count)
        while values.count < count {
            let header = try cursor.varint()
            let wanted = count - values.count
            if header & 1 == 0 {
                let run = header >> 1
                guard run > 0 else { throw cursor.failure("empty RLE run") }
                let raw = try cursor.take((bitWidth + 7) / 8)
                let value = raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                guard bitWidth == 32 || value >> bitWidth == 0 else { throw cursor.failure("RLE value wider than \(bitWidth) bits") }
                values.append(contentsOf: repeatElement(value, count: Int(min(run, UInt64(wanted)))))
            } else {
                let groups = header >> 1
                guard groups > 0, groups <= UInt64(Int32.max) else { throw cursor.failure("bad bit-packed run of \(groups) groups") }
                let runValues = Int(groups) * 8
                let used = min(runValues, wanted)
                let available = min(runValues * bitWidth / 8, cursor.remaining)
                guard used * bitWidth <= available * 8 else { throw cursor.failure("bit-packed run ends early") }
                var bits = ParquetBitReader(try cursor.take(available))
                for _ in 0..<used { values.append(UInt32(truncatingIfNeeded: bits.read(bitWidth))) }
            }
        }
        return values
    }
}

/// Little-endian bit unpacking (least significant bit first) from a buffer the caller has
/// already checked holds every bit it will ask for.
struct ParquetBitReader {
    private let bytes: UnsafeRawBufferPointer
    private var bitPosition = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next `width` (0...64) bits.
    mutating func read(_ width: Int) -> UInt64 {
        var value: UInt64 = 0
        var filled = 0
        while filled < width {
            let shift = bitPosition & 7
            let take = min(8 - shift, width - filled)
            let bits = (UInt64(bytes[bitPosition >> 3]) >> UInt64(shift)) & ((1 << UInt64(take)) - 1)
            value |= bits << UInt64(filled)
            filled += take
            bitPosition += take
        }
        return value
    }
}
