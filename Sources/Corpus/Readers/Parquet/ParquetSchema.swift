/// A top-level flat column chosen for reading: where its chunk sits in each row group and how
/// its values are typed.
struct ParquetColumn {
    var name: String
    /// Index of the leaf column, which is also the column chunk's index in every row group.
    var index: Int
    var type: ParquetPhysicalType
    var isOptional: Bool
    var isUnsigned: Bool
}

enum ParquetSchema {
    /// Finds the top-level column `name`: nil when the file has none, an error when it is a group,
    /// repeated, or of a type the reader does not decode.
    static func column(named name: String, in schema: [ParquetSchemaElement]) throws -> ParquetColumn? {
        guard let root = schema.first else { throw ParquetError(offset: 0, message: "empty schema") }
        // Schema elements are a depth-first listing; count leaves before `name` to get its index.
        var leafIndex = 0
        var next = 1
        for _ in 0..<root.childCount {
            guard next < schema.count else { throw ParquetError(offset: 0, message: "schema ends early") }
            let element = schema[next]
            let after = try skipSubtree(schema, from: next)
            if element.name == name {
                guard element.childCount == 0, element.repetition != 2 else {
                    throw ParquetError(offset: 0, message: "column \"\(name)\" is nested or repeated; only flat columns can be read")
                }
                guard let type = element.type else {
                    throw ParquetError(offset: 0, message: "column \"\(name)\" has no physical type")
                }
                guard type != .int96, type != .fixedLenByteArray else {
                    throw ParquetError(offset: 0, message: "column \"\(name)\" has unsupported physical type \(type)")
                }
                // Rendering the unscaled integer would silently misstate the value.
                guard !element.isDecimal else {
                    throw ParquetError(offset: 0, message: "column \"\(name)\" is a DECIMAL, which is not supported")
                }
                return ParquetColumn(name: name, index: leafIndex, type: type,
                                     isOptional: element.repetition == 1, isUnsigned: element.isUnsigned)
            }
            leafIndex += schema[next..<after].count { $0.childCount == 0 }
            next = after
        }
        return nil
    }

    /// The index just past the subtree rooted at `start` (children follow their parent).
    private static func skipSubtree(_ schema: [ParquetSchemaElement], from start: Int) throws -> Int {
        var pending = 1
        var index = start
        while pending > 0 {
            guard index < schema.count else { throw ParquetError(offset: 0, message: "schema ends inside a group") }
            pending += schema[index].childCount - 1
            index += 1
        }
        return index
    }
}
