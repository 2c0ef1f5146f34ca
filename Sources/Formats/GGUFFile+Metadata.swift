/// Metadata lookups.
///
/// Scalar accessors return nil when the key is absent and throw when it holds another
/// type; integer ones accept any stored integer type whose value fits.
/// Array accessors throw when the key is absent; they decode straight from the mapping
/// (numeric arrays with one memcpy) instead of building `GGUFValue`s.
extension GGUFFile {
    public func contains(_ key: String) -> Bool { keyIndex[key] != nil }

    /// The stored type tag (`.array` for arrays; see `arrayInfo` for the element type).
    public func valueType(_ key: String) -> GGUFValueType? { entry(key)?.type }

    /// Human-readable type, e.g. "uint32", "array<string>".
    public func typeDescription(_ key: String) -> String? { entry(key).map(typeName) }

    /// Element type and length of an array value, without decoding it.
    public func arrayInfo(_ key: String) -> (elementType: GGUFValueType, count: Int)? {
        entry(key)?.array.map { ($0.elementType, $0.count) }
    }

    /// Fully decoded value (arrays become `[GGUFValue]`, which is slow for big vocabularies).
    public func value(_ key: String) throws -> GGUFValue? {
        guard let e = entry(key) else { return nil }
        if let s = e.scalar { return s }
        var o = e.valueOffset
        return try reader.decodeValue(.array, &o)
    }

    // MARK: scalars

    public func string(_ key: String) throws -> String? {
        guard let e = entry(key) else { return nil }
        guard case .string(let s)? = e.scalar else { throw mismatch(e, "string") }
        return s
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let e = entry(key) else { return nil }
        guard case .bool(let b)? = e.scalar else { throw mismatch(e, "bool") }
        return b
    }

    public func uint32(_ key: String) throws -> UInt32? { try integer(key, UInt32.self, "uint32") }
    public func int32(_ key: String) throws -> Int32? { try integer(key, Int32.self, "int32") }
    public func uint64(_ key: String) throws -> UInt64? { try integer(key, UInt64.self, "uint64") }
    public func int64(_ key: String) throws -> Int64? { try integer(key, Int64.self, "int64") }
    public func int(_ key: String) throws -> Int? { try integer(key, Int.self, "integer") }

    /// float32, or float64 narrowed.
    public func float32(_ key: String) throws -> Float? { try float64(key, expected: "float32").map(Float.init) }

    /// float64, or float32 widened.
    public func float64(_ key: String) throws -> Double? { try float64(key, expected: "float64") }

    // MARK: arrays

    public func strings(_ key: String) throws -> [String] {
        let (_, a) = try array(key, .string, "array<string>")
        var out: [String] = []
        out.reserveCapacity(a.count)
        var o = a.elementsOffset
        for _ in 0..<a.count { out.append(try reader.string(&o, "string element")) }
        return out
    }

    public func uint8s(_ key: String) throws -> [UInt8] { try numbers(key, .uint8, UInt8.self) }
    public func int32s(_ key: String) throws -> [Int32] { try numbers(key, .int32, Int32.self) }
    public func uint32s(_ key: String) throws -> [UInt32] { try numbers(key, .uint32, UInt32.self) }
    public func int64s(_ key: String) throws -> [Int64] { try numbers(key, .int64, Int64.self) }
    public func uint64s(_ key: String) throws -> [UInt64] { try numbers(key, .uint64, UInt64.self) }
    public func float32s(_ key: String) throws -> [Float] { try numbers(key, .float32, Float.self) }
    public func float64s(_ key: String) throws -> [Double] { try numbers(key, .float64, Double.self) }

    public func bools(_ key: String) throws -> [Bool] {
        try uint8Bytes(key, .bool, "array<bool>").map { $0 != 0 }
    }

    /// Any integer element type, converted to Int (throws if a uint64 element exceeds Int.max).
    public func ints(_ key: String) throws -> [Int] {
        guard let e = entry(key) else { throw missing(key) }
        guard let a = e.array, a.elementType.isInteger else { throw mismatch(e, "array<integer>") }
        var out: [Int] = []
        out.reserveCapacity(a.count)
        var o = a.elementsOffset
        for _ in 0..<a.count {
            guard let v = try reader.decodeValue(a.elementType, &o).intValue else {
                throw GGUFError(path: path, offset: o, reason: .valueOutOfRange(key: key, expected: "Int"))
            }
            out.append(v)
        }
        return out
    }

    // MARK: helpers

    func entry(_ key: String) -> MetadataEntry? { keyIndex[key].map { entries[$0] } }

    private func missing(_ key: String) -> GGUFError {
        GGUFError(path: path, offset: nil, reason: .missingKey(key))
    }

    private func mismatch(_ e: MetadataEntry, _ expected: String) -> GGUFError {
        GGUFError(path: path, offset: e.valueOffset,
                  reason: .typeMismatch(key: e.key, actual: typeName(e), expected: expected))
    }

    private func integer<T: FixedWidthInteger>(_ key: String, _: T.Type, _ name: String) throws -> T? {
        guard let e = entry(key) else { return nil }
        let value: T?
        switch e.scalar {
        case .uint8(let v)?: value = T(exactly: v)
        case .int8(let v)?: value = T(exactly: v)
        case .uint16(let v)?: value = T(exactly: v)
        case .int16(let v)?: value = T(exactly: v)
        case .uint32(let v)?: value = T(exactly: v)
        case .int32(let v)?: value = T(exactly: v)
        case .uint64(let v)?: value = T(exactly: v)
        case .int64(let v)?: value = T(exactly: v)
        default: throw mismatch(e, name)
        }
        guard let value else {
            throw GGUFError(path: path, offset: e.valueOffset, reason: .valueOutOfRange(key: key, expected: name))
        }
        return value
    }

    private func float64(_ key: String, expected: String) throws -> Double? {
        guard let e = entry(key) else { return nil }
        switch e.scalar {
        case .float32(let v)?: return Double(v)
        case .float64(let v)?: return v
        default: throw mismatch(e, expected)
        }
    }

    private func array(_ key: String, _ element: GGUFValueType, _ expected: String) throws -> (MetadataEntry, ArrayRef) {
        guard let e = entry(key) else { throw missing(key) }
        guard let a = e.array, a.elementType == element else { throw mismatch(e, expected) }
        return (e, a)
    }

    /// Little-endian host (checked in ByteReader), so elements copy verbatim.
    private func numbers<T: BitwiseCopyable>(_ key: String, _ element: GGUFValueType, _: T.Type) throws -> [T] {
        let (_, a) = try array(key, element, "array<\(element)>")
        let src = reader.bytes(a.elementsOffset..<(a.elementsOffset + a.count * MemoryLayout<T>.size))
        return [T](unsafeUninitializedCapacity: a.count) { buf, initialized in
            if a.count > 0 { UnsafeMutableRawBufferPointer(buf).copyMemory(from: src) }
            initialized = a.count
        }
    }

    private func uint8Bytes(_ key: String, _ element: GGUFValueType, _ expected: String) throws -> [UInt8] {
        let (_, a) = try array(key, element, expected)
        return Array(reader.bytes(a.elementsOffset..<(a.elementsOffset + a.count)))
    }
}
