/// The parts of Parquet's FileMetaData (parquet.thrift) that reading flat columns needs.
enum ParquetPhysicalType: Int32 {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

struct ParquetSchemaElement {
    var type: ParquetPhysicalType?
    var repetition: Int32 = 0  // 0 REQUIRED, 1 OPTIONAL, 2 REPEATED
    var name = ""
    var childCount = 0
    var convertedType: Int32?
    /// From LogicalType INTEGER(isSigned:); older writers only set the converted type.
    var signedInteger: Bool?

    var isUnsigned: Bool { signedInteger == false || (11...14).contains(convertedType ?? -1) }  // UINT_8...UINT_64
    var isDecimal: Bool { convertedType == 5 }

    static func read(_ r: inout ThriftCompactReader) throws -> ParquetSchemaElement {
        var element = ParquetSchemaElement()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): element.type = ParquetPhysicalType(rawValue: try r.i32())
            case (3, .i32): element.repetition = try r.i32()
            case (4, .binary): element.name = try r.string()
            case (5, .i32): element.childCount = Int(max(0, try r.i32()))
            case (6, .i32): element.convertedType = try r.i32()
            case (10, .structure): element.signedInteger = try Self.integerSignedness(&r)
            default: return false
            }
            return true
        }
        return element
    }

    /// LogicalType is a union; only INTEGER (field 10: bitWidth, isSigned) matters for rendering.
    private static func integerSignedness(_ r: inout ThriftCompactReader) throws -> Bool? {
        var signed: Bool?
        try r.readStruct { r, id, type in
            guard id == 10, type == .structure else { return false }
            try r.readStruct { r, id, type in
                guard id == 2, type == .boolTrue || type == .boolFalse else { return false }
                signed = r.bool(type)
                return true
            }
            return true
        }
        return signed
    }
}

struct ParquetColumnChunk {
    var externalPath: String?
    var type: ParquetPhysicalType?
    var codec: Int32 = 0
    var valueCount: Int64 = 0
    var compressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?

    static func read(_ r: inout ThriftCompactReader) throws -> ParquetColumnChunk {
        var chunk = ParquetColumnChunk()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .binary): chunk.externalPath = try r.string()
            case (3, .structure): try chunk.readColumnMetaData(&r)
            default: return false
            }
            return true
        }
        return chunk
    }

    private mutating func readColumnMetaData(_ r: inout ThriftCompactReader) throws {
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): self.type = ParquetPhysicalType(rawValue: try r.i32())
            case (4, .i32): codec = try r.i32()
            case (5, .i64): valueCount = try r.i64()
            case (7, .i64): compressedSize = try r.i64()
            case (9, .i64): dataPageOffset = try r.i64()
            case (11, .i64): dictionaryPageOffset = try r.i64()
            default: return false
            }
            return true
        }
    }

    /// Where the chunk's first page starts: the dictionary page when there is one.
    var startOffset: Int64 {
        if let dictionary = dictionaryPageOffset, dictionary > 0, dictionary < dataPageOffset { return dictionary }
        return dataPageOffset
    }
}

struct ParquetRowGroup {
    var columns: [ParquetColumnChunk] = []
    var rowCount: Int64 = 0

    static func read(_ r: inout ThriftCompactReader) throws -> ParquetRowGroup {
        var group = ParquetRowGroup()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .list): group.columns = try r.list { try ParquetColumnChunk.read(&$0) }
            case (3, .i64): group.rowCount = try r.i64()
            default: return false
            }
            return true
        }
        return group
    }
}

struct ParquetFileMetaData {
    var schema: [ParquetSchemaElement] = []
    var rowGroups: [ParquetRowGroup] = []

    static func read(_ bytes: UnsafeRawBufferPointer) throws -> ParquetFileMetaData {
        var r = ThriftCompactReader(bytes)
        var metadata = ParquetFileMetaData()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (2, .list): metadata.schema = try r.list { try ParquetSchemaElement.read(&$0) }
            case (4, .list): metadata.rowGroups = try r.list { try ParquetRowGroup.read(&$0) }
            default: return false
            }
            return true
        }
        return metadata
    }
}
