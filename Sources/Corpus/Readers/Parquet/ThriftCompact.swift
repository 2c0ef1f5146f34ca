/// Reads the Thrift compact protocol, the encoding of Parquet's footer and page headers. It
/// decodes only what the reader asks for and skips every other field, so newer writers' additions
/// (statistics, indexes, encryption info) pass through untouched.
struct ThriftCompactReader {
    /// Wire types of the compact protocol.
    enum WireType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    var cursor: ParquetCursor
    /// Deep nesting can only come from corrupt input; bounding it keeps skipping off the stack's edge.
    private var depth = 0
    private static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) { cursor = ParquetCursor(bytes) }

    /// Calls `field` for each field of the struct at the cursor; a field it does not consume
    /// (returns false) is skipped. Matching on id and wire type together means a field of an
    /// unexpected type is skipped rather than misread.
    mutating func readStruct(_ field: (inout ThriftCompactReader, Int16, WireType) throws -> Bool) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw cursor.failure("thrift structs nested too deeply") }
        var lastID: Int16 = 0
        while true {
            let header = try cursor.byte()
            if header == 0 { return }  // STOP
            guard let type = WireType(rawValue: header & 0x0F) else {
                throw cursor.failure("unknown thrift wire type \(header & 0x0F)")
            }
            let delta = Int16(header >> 4)
            let id = delta == 0 ? try i16() : lastID &+ delta
            lastID = id
            if try !field(&self, id, type) { try skip(type) }
        }
    }

    mutating func i16() throws -> Int16 {
        let v = try cursor.zigzag()
        guard let result = Int16(exactly: v) else { throw cursor.failure("i16 out of range: \(v)") }
        return result
    }

    mutating func i32() throws -> Int32 {
        let v = try cursor.zigzag()
        guard let result = Int32(exactly: v) else { throw cursor.failure("i32 out of range: \(v)") }
        return result
    }

    mutating func i64() throws -> Int64 { try cursor.zigzag() }

    /// A struct field's boolean lives in its wire type.
    func bool(_ type: WireType) -> Bool { type == .boolTrue }

    mutating func binary() throws -> UnsafeRawBufferPointer {
        try cursor.take(cursor.count(limit: cursor.remaining, "binary length"))
    }

    mutating func string() throws -> String { String(decoding: try binary(), as: UTF8.self) }

    /// A list header: element count and type. Every element takes at least one byte, which bounds
    /// the count by the bytes left before anything is allocated for it.
    mutating func listHeader() throws -> (count: Int, element: WireType) {
        let header = try cursor.byte()
        guard let element = WireType(rawValue: header & 0x0F) else {
            throw cursor.failure("unknown thrift list element type \(header & 0x0F)")
        }
        let short = Int(header >> 4)
        let count = short == 15 ? try cursor.count(limit: cursor.remaining, "list size") : short
        return (count, element)
    }

    mutating func list<T>(_ element: (inout ThriftCompactReader) throws -> T) throws -> [T] {
        let (count, _) = try listHeader()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    mutating func skip(_ type: WireType) throws {
        switch type {
        case .boolTrue, .boolFalse: return
        case .byte: _ = try cursor.byte()
        case .i16, .i32, .i64: _ = try cursor.varint()
        case .double: _ = try cursor.take(8)
        case .binary: _ = try binary()
        case .structure: try readStruct { _, _, _ in false }
        case .list, .set:
            let (count, element) = try listHeader()
            for _ in 0..<count { try skipNested(element) }
        case .map:
            let count = try cursor.count(limit: cursor.remaining, "map size")
            guard count > 0 else { return }
            let kinds = try cursor.byte()
            guard let key = WireType(rawValue: kinds >> 4), let value = WireType(rawValue: kinds & 0x0F) else {
                throw cursor.failure("unknown thrift map types \(kinds)")
            }
            for _ in 0..<count {
                try skipNested(key)
                try skipNested(value)
            }
        }
    }

    /// Booleans inside containers take one byte each, unlike struct fields.
    private mutating func skipNested(_ type: WireType) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw cursor.failure("thrift containers nested too deeply") }
        if type == .boolTrue || type == .boolFalse { _ = try cursor.byte() } else { try skip(type) }
    }
}
