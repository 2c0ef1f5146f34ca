/// A page header (parquet.thrift PageHeader) with the sub-header of its page type.
struct ParquetPageHeader {
    enum Kind { case dataV1, dataV2, dictionary, other }

    var kind = Kind.other
    var uncompressedSize = 0
    var compressedSize = 0
    var valueCount = 0
    var encoding: Int32 = 0
    /// Data page v1 only: RLE (3) in every current writer; the deprecated BIT_PACKED (4) is refused.
    var definitionLevelEncoding: Int32 = 3
    /// Data page v2 only: level bytes sit uncompressed before the (maybe compressed) values.
    var repetitionLevelsLength = 0
    var definitionLevelsLength = 0
    var isCompressed = true

    static func read(_ r: inout ThriftCompactReader) throws -> ParquetPageHeader {
        var header = ParquetPageHeader()
        var pageType: Int32 = -1
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): pageType = try r.i32()
            case (2, .i32): header.uncompressedSize = try r.size("uncompressed page size")
            case (3, .i32): header.compressedSize = try r.size("compressed page size")
            case (5, .structure): try header.readSubheader(&r, kind: .dataV1)
            case (7, .structure): try header.readSubheader(&r, kind: .dictionary)
            case (8, .structure): try header.readSubheader(&r, kind: .dataV2)
            default: return false
            }
            return true
        }
        let wanted: Kind
        switch pageType {
        case 0: wanted = .dataV1
        case 2: wanted = .dictionary
        case 3: wanted = .dataV2
        default: header.kind = .other; return header  // index pages and future kinds are skipped
        }
        guard header.kind == wanted else { throw r.cursor.failure("page of type \(pageType) lacks its sub-header") }
        return header
    }

    /// DataPageHeader, DictionaryPageHeader and DataPageHeaderV2 share field 1 (num_values) and
    /// place the encoding at 2 (v1, dictionary) or 4 (v2).
    private mutating func readSubheader(_ r: inout ThriftCompactReader, kind: Kind) throws {
        self.kind = kind
        try r.readStruct { r, id, type in
            switch (id, type, kind) {
            case (1, .i32, _): valueCount = try r.size("page value count")
            case (2, .i32, .dataV1), (2, .i32, .dictionary), (4, .i32, .dataV2): encoding = try r.i32()
            case (3, .i32, .dataV1): definitionLevelEncoding = try r.i32()
            case (5, .i32, .dataV2): definitionLevelsLength = try r.size("definition levels length")
            case (6, .i32, .dataV2): repetitionLevelsLength = try r.size("repetition levels length")
            case (7, .boolTrue, .dataV2), (7, .boolFalse, .dataV2): isCompressed = r.bool(type)
            default: return false
            }
            return true
        }
    }
}

extension ThriftCompactReader {
    /// An i32 that must be a non-negative size or count.
    mutating func size(_ what: String) throws -> Int {
        let v = try i32()
        guard v >= 0 else { throw cursor.failure("negative \(what): \(v)") }
        return Int(v)
    }
}
