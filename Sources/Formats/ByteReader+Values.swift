/// Where an array's elements live in the file; decoding is deferred until asked for.
struct ArrayRef: Sendable {
    let elementType: GGUFValueType
    let count: Int
    /// Offset of the first element.
    let elementsOffset: Int
}

extension ByteReader {
    /// Bound on array-in-array nesting so a crafted file cannot exhaust the stack.
    static let maxNesting = 32

    func valueType(_ offset: inout Int, _ what: @autoclosure () -> String) throws -> GGUFValueType {
        let at = offset
        let raw = try u32(&offset, what())
        guard let t = GGUFValueType(rawValue: raw) else { throw error(at, .unknownValueType(raw)) }
        return t
    }

    /// Reads element type and count; the count is checked against the bytes left.
    func arrayHeader(_ offset: inout Int) throws -> ArrayRef {
        let type = try valueType(&offset, "array element type")
        let n = try readCount(&offset, elementSize: type.minEncodedSize, "array<\(type)> element")
        return ArrayRef(elementType: type, count: n, elementsOffset: offset)
    }

    /// Advances past one value without decoding it. Numeric arrays are O(1);
    /// string arrays only touch the length prefixes.
    func skipValue(_ type: GGUFValueType, _ offset: inout Int, depth: Int = 0) throws {
        if let size = type.scalarSize {
            try require(size, at: offset, "\(type) value")
            offset += size
        } else if type == .string {
            _ = try stringRange(&offset, "string value")
        } else {
            guard depth < Self.maxNesting else { throw error(offset, .nestingTooDeep) }
            let array = try arrayHeader(&offset)
            try skipElements(array, &offset, depth: depth + 1)
        }
    }

    func skipElements(_ array: ArrayRef, _ offset: inout Int, depth: Int) throws {
        if let size = array.elementType.scalarSize {
            offset += array.count * size  // arrayHeader already proved these bytes exist
        } else {
            for _ in 0..<array.count { try skipValue(array.elementType, &offset, depth: depth) }
        }
    }

    func decodeValue(_ type: GGUFValueType, _ offset: inout Int, depth: Int = 0) throws -> GGUFValue {
        let what = "\(type) value"
        switch type {
        case .uint8: return .uint8(try load(UInt8.self, at: &offset, what))
        case .int8: return .int8(try load(Int8.self, at: &offset, what))
        case .uint16: return .uint16(try load(UInt16.self, at: &offset, what))
        case .int16: return .int16(try load(Int16.self, at: &offset, what))
        case .uint32: return .uint32(try load(UInt32.self, at: &offset, what))
        case .int32: return .int32(try load(Int32.self, at: &offset, what))
        case .uint64: return .uint64(try load(UInt64.self, at: &offset, what))
        case .int64: return .int64(try load(Int64.self, at: &offset, what))
        case .float32: return .float32(Float(bitPattern: try load(UInt32.self, at: &offset, what)))
        case .float64: return .float64(Double(bitPattern: try load(UInt64.self, at: &offset, what)))
        case .bool: return .bool(try load(UInt8.self, at: &offset, what) != 0)
        case .string: return .string(try string(&offset, "string value"))
        case .array:
            guard depth < Self.maxNesting else { throw error(offset, .nestingTooDeep) }
            let array = try arrayHeader(&offset)
            var out: [GGUFValue] = []
            out.reserveCapacity(array.count)
            for _ in 0..<array.count {
                out.append(try decodeValue(array.elementType, &offset, depth: depth + 1))
            }
            return .array(out)
        }
    }
}
