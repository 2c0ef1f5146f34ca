/// One row's value of a selected column, already in the form documents need.
enum ParquetCell {
    case null
    /// Text as is; numbers and booleans rendered as metadata strings.
    case string(String)
    /// Bytes that are not UTF-8: a text column skips the row, metadata keeps the repaired string.
    case invalidUTF8(repaired: String)
}

/// Decodes one column chunk, page by page, into one cell per row.
struct ParquetColumnDecoder {
    let column: ParquetColumn
    let codec: Int32
    private var dictionary: [ParquetCell]?
    private var cells: [ParquetCell] = []

    private static let encodingNames: [Int32: String] = [
        0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
        6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT",
    ]

    /// `chunk` is the column chunk as read from the file; error offsets are relative to it.
    static func decode(_ chunk: UnsafeRawBufferPointer, column: ParquetColumn, codec: Int32, rows: Int) throws -> [ParquetCell] {
        var decoder = ParquetColumnDecoder(column: column, codec: codec)
        decoder.cells.reserveCapacity(min(rows, 1 << 20))
        var cursor = ParquetCursor(chunk)
        while decoder.cells.count < rows {
            let pageStart = cursor.position
            guard cursor.remaining > 0 else {
                throw ParquetError(offset: pageStart, message: "column \"\(column.name)\" chunk ends after \(decoder.cells.count) of \(rows) values")
            }
            var thrift = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: chunk[pageStart...]))
            let header: ParquetPageHeader
            do {
                header = try ParquetPageHeader.read(&thrift)
            } catch let error as ParquetError {
                throw ParquetError(offset: pageStart + error.offset, message: "page header: \(error.message)")
            }
            _ = try cursor.take(thrift.cursor.position)
            guard header.compressedSize <= cursor.remaining else {
                throw ParquetError(offset: pageStart, message: "page of \(header.compressedSize) bytes runs past its column chunk")
            }
            let body = try cursor.take(header.compressedSize)
            do {
                try decoder.decodePage(header, body, rowsLeft: rows - decoder.cells.count)
            } catch let error as ParquetError {
                throw ParquetError(offset: pageStart, message: "column \"\(column.name)\" page: \(error.message)")
            }
        }
        return decoder.cells
    }

    private mutating func decodePage(_ header: ParquetPageHeader, _ body: UnsafeRawBufferPointer, rowsLeft: Int) throws {
        switch header.kind {
        case .other:
            return
        case .dictionary:
            guard header.encoding == 0 || header.encoding == 2 else { throw unsupported(header.encoding, "dictionary page") }
            let data = try ParquetCodec.decompress(body, codec: codec, size: header.uncompressedSize)
            dictionary = try data.withUnsafeBytes { raw in
                var cursor = ParquetCursor(raw)
                return try plainValues(&cursor, count: header.valueCount)
            }
        case .dataV1:
            guard header.valueCount <= rowsLeft else { throw ParquetError(offset: 0, message: "page holds more values than the row group's rows") }
            let data = try ParquetCodec.decompress(body, codec: codec, size: header.uncompressedSize)
            try data.withUnsafeBytes { raw in
                var cursor = ParquetCursor(raw)
                var levels: [UInt32]?
                if column.isOptional {
                    guard header.definitionLevelEncoding == 3 else { throw unsupported(header.definitionLevelEncoding, "definition levels") }
                    // v1 levels carry a 4-byte length prefix and are compressed with the values.
                    var levelCursor = ParquetCursor(try cursor.take(Int(try cursor.littleEndian(UInt32.self))))
                    levels = try ParquetHybrid.decode(&levelCursor, bitWidth: 1, count: header.valueCount)
                }
                try appendValues(&cursor, levels: levels, count: header.valueCount, encoding: header.encoding)
            }
        case .dataV2:
            guard header.valueCount <= rowsLeft else { throw ParquetError(offset: 0, message: "page holds more values than the row group's rows") }
            var cursor = ParquetCursor(body)
            _ = try cursor.take(header.repetitionLevelsLength)  // flat columns: always empty
            var levelCursor = ParquetCursor(try cursor.take(header.definitionLevelsLength))
            let levels = column.isOptional ? try ParquetHybrid.decode(&levelCursor, bitWidth: 1, count: header.valueCount) : nil
            let valuesSize = header.uncompressedSize - header.repetitionLevelsLength - header.definitionLevelsLength
            guard valuesSize >= 0 else { throw ParquetError(offset: 0, message: "level lengths exceed the page size") }
            let rest = try cursor.take(cursor.remaining)
            let data = header.isCompressed ? try ParquetCodec.decompress(rest, codec: codec, size: valuesSize) : Array(rest)
            try data.withUnsafeBytes { raw in
                var valueCursor = ParquetCursor(raw)
                try appendValues(&valueCursor, levels: levels, count: header.valueCount, encoding: header.encoding)
            }
        }
    }

    /// Decodes the page's non-null values and spreads them over its rows by definition level.
    private mutating func appendValues(_ cursor: inout ParquetCursor, levels: [UInt32]?, count: Int, encoding: Int32) throws {
        guard let levels else {
            cells.append(contentsOf: try values(&cursor, count: count, encoding: encoding))
            return
        }
        let present = try values(&cursor, count: levels.count { $0 == 1 }, encoding: encoding)
        var next = 0
        for level in levels {
            if level == 1 {
                cells.append(present[next])
                next += 1
            } else {
                cells.append(.null)
            }
        }
    }

    private func values(_ cursor: inout ParquetCursor, count: Int, encoding: Int32) throws -> [ParquetCell] {
        var out: [ParquetCell] = []
        switch (encoding, column.type) {
        case (0, _):
            return try plainValues(&cursor, count: count)
        case (2, _), (8, _):
            guard let dictionary else { throw ParquetError(offset: 0, message: "dictionary-encoded page without a dictionary page") }
            let bitWidth = count == 0 ? 0 : Int(try cursor.byte())
            out.reserveCapacity(count)
            for index in try ParquetHybrid.decode(&cursor, bitWidth: bitWidth, count: count) {
                guard index < dictionary.count else { throw cursor.failure("dictionary index \(index) out of \(dictionary.count)") }
                out.append(dictionary[Int(index)])
            }
        case (3, .boolean):
            var runs = ParquetCursor(try cursor.take(Int(try cursor.littleEndian(UInt32.self))))
            out = try ParquetHybrid.decode(&runs, bitWidth: 1, count: count).map { .string($0 == 1 ? "true" : "false") }
        case (5, .int32), (5, .int64):
            out = try ParquetDelta.integers(&cursor, count: count).map(integerCell)
        case (6, .byteArray):
            out.reserveCapacity(count)
            try ParquetDelta.lengthPrefixed(&cursor, count: count) { out.append(Self.bytesCell($0)) }
        case (7, .byteArray):
            out.reserveCapacity(count)
            try ParquetDelta.prefixed(&cursor, count: count) { out.append(Self.bytesCell($0)) }
        default:
            throw unsupported(encoding, "\(column.type) values")
        }
        return out
    }

    private func plainValues(_ cursor: inout ParquetCursor, count: Int) throws -> [ParquetCell] {
        func fixed<T: FixedWidthInteger>(_: T.Type, _ cell: (T) -> ParquetCell) throws -> [ParquetCell] {
            let size = MemoryLayout<T>.size
            guard count <= cursor.remaining / size else { throw cursor.failure("\(count) values need more than \(cursor.remaining) bytes") }
            let raw = try cursor.take(count * size)
            return (0..<count).map { cell(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self))) }
        }
        switch column.type {
        case .boolean:
            var bits = ParquetBitReader(try cursor.take((count + 7) / 8))
            return (0..<count).map { _ in .string(bits.read(1) == 1 ? "true" : "false") }
        case .int32: return try fixed(Int32.self) { integerCell(Int64($0)) }
        case .int64: return try fixed(Int64.self) { integerCell($0) }
        case .float: return try fixed(UInt32.self) { .string(Float(bitPattern: $0).description) }
        case .double: return try fixed(UInt64.self) { .string(Double(bitPattern: $0).description) }
        case .byteArray:
            var out: [ParquetCell] = []
            out.reserveCapacity(min(count, cursor.remaining / 4))
            for _ in 0..<count {
                let length = Int(try cursor.littleEndian(UInt32.self))
                out.append(Self.bytesCell(try cursor.take(length)))
            }
            return out
        case .int96, .fixedLenByteArray:
            throw ParquetError(offset: 0, message: "unsupported physical type \(column.type)")
        }
    }

    /// Integers in decimal, as unsigned where the logical type says so.
    private func integerCell(_ value: Int64) -> ParquetCell {
        switch (column.type, column.isUnsigned) {
        case (.int32, false): return .string(String(Int32(truncatingIfNeeded: value)))
        case (.int32, true): return .string(String(UInt32(truncatingIfNeeded: value)))
        case (_, true): return .string(String(UInt64(bitPattern: value)))
        default: return .string(String(value))
        }
    }

    /// Validates once and builds the String once.
    private static func bytesCell(_ raw: UnsafeRawBufferPointer) -> ParquetCell {
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return .invalidUTF8(repaired: String(decoding: bytes, as: UTF8.self))
    }

    private func unsupported(_ encoding: Int32, _ what: String) -> ParquetError {
        ParquetError(offset: 0, message: "unsupported encoding \(Self.encodingNames[encoding] ?? "#\(encoding)") for \(what)")
    }
}
