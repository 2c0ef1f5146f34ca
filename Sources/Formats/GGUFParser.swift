/// One metadata key/value. Scalars and strings are decoded eagerly (they are small);
/// arrays keep only their location so a 150K-entry vocabulary costs nothing until read.
struct MetadataEntry: Sendable {
    let key: String
    let type: GGUFValueType
    /// Offset of the value itself (just past the type tag).
    let valueOffset: Int
    let scalar: GGUFValue?
    let array: ArrayRef?
}

/// Result of walking header, metadata and tensor infos.
struct ParsedGGUF: Sendable {
    var version: UInt32 = 0
    var entries: [MetadataEntry] = []
    var keyIndex: [String: Int] = [:]
    var tensors: [GGUFTensorInfo] = []
    var tensorIndex: [String: Int] = [:]
    var alignment = 32
    var dataOffset = 0
}

/// Walks the file front to back; every structural rule is checked here so the
/// accessors afterwards only ever read validated ranges.
struct GGUFParser {
    let r: ByteReader

    /// ggml's GGML_MAX_DIMS.
    static let maxDims = 4

    func parse() throws -> ParsedGGUF {
        var out = ParsedGGUF()
        var o = 0
        try r.require(4, at: 0, "magic")
        let magic = Array(r.bytes(0..<4))
        guard magic == Array("GGUF".utf8) else { throw r.error(0, .badMagic(magic)) }
        o = 4
        let version = try r.u32(&o, "version")
        // A byte-swapped small version number has its low 16 bits zero.
        if version & 0xFFFF == 0 && version != 0 { throw r.error(4, .bigEndian) }
        guard version == 2 || version == 3 else { throw r.error(4, .unsupportedVersion(version)) }
        out.version = version

        // Minimum encodings: tensor info = name len + n_dims + type + offset; kv = key len + tag + 1.
        let tensorCount = try r.readCount(&o, elementSize: 8 + 4 + 4 + 8, "tensor")
        let kvCount = try r.readCount(&o, elementSize: 8 + 4 + 1, "metadata key/value")

        out.entries.reserveCapacity(kvCount)
        for _ in 0..<kvCount {
            let entryStart = o
            let key = try r.string(&o, "metadata key")
            let type = try r.valueType(&o, "type of key \"\(key)\"")
            let valueOffset = o
            var scalar: GGUFValue?
            var array: ArrayRef?
            if type == .array {
                let a = try r.arrayHeader(&o)
                try r.skipElements(a, &o, depth: 1)
                array = a
            } else {
                scalar = try r.decodeValue(type, &o)
            }
            guard out.keyIndex.updateValue(out.entries.count, forKey: key) == nil else {
                throw r.error(entryStart, .duplicateKey(key))
            }
            out.entries.append(MetadataEntry(
                key: key, type: type, valueOffset: valueOffset, scalar: scalar, array: array))
        }

        out.alignment = try alignment(out)

        var raw: [(infoOffset: Int, name: String, dims: [UInt64], type: GGMLType, offset: UInt64)] = []
        raw.reserveCapacity(tensorCount)
        for _ in 0..<tensorCount {
            let infoOffset = o
            let name = try r.string(&o, "tensor name")
            let nDims = try r.u32(&o, "dimension count of tensor \"\(name)\"")
            guard nDims <= Self.maxDims else {
                throw r.error(infoOffset, .badTensorShape(tensor: name, detail: "\(nDims) dimensions (max \(Self.maxDims))"))
            }
            var dims: [UInt64] = []
            for _ in 0..<nDims { dims.append(try r.u64(&o, "dimensions of tensor \"\(name)\"")) }
            let typeAt = o
            let rawType = try r.u32(&o, "type of tensor \"\(name)\"")
            guard let type = GGMLType(rawValue: rawType) else {
                throw r.error(typeAt, .unknownTensorType(tensor: name, raw: rawType))
            }
            let offset = try r.u64(&o, "data offset of tensor \"\(name)\"")
            raw.append((infoOffset, name, dims, type, offset))
        }

        // Data starts at the next multiple of the alignment after the tensor infos.
        let rem = o % out.alignment
        out.dataOffset = rem == 0 ? o : o + (out.alignment - rem)

        out.tensors.reserveCapacity(tensorCount)
        for t in raw {
            let info = try tensorInfo(t.infoOffset, t.name, t.dims, t.type, t.offset, out)
            guard out.tensorIndex.updateValue(out.tensors.count, forKey: t.name) == nil else {
                throw r.error(t.infoOffset, .duplicateTensor(t.name))
            }
            out.tensors.append(info)
        }
        return out
    }

    private func alignment(_ p: ParsedGGUF) throws -> Int {
        guard let i = p.keyIndex["general.alignment"] else { return 32 }
        let e = p.entries[i]
        guard case .uint32(let a)? = e.scalar else {
            throw r.error(e.valueOffset, .typeMismatch(
                key: e.key, actual: typeName(e), expected: "uint32"))
        }
        guard a != 0, a & (a - 1) == 0 else { throw r.error(e.valueOffset, .badAlignment(a)) }
        return Int(a)
    }

    private func tensorInfo(
        _ at: Int, _ name: String, _ dims: [UInt64], _ type: GGMLType, _ rel: UInt64, _ p: ParsedGGUF
    ) throws -> GGUFTensorInfo {
        func shapeError(_ detail: String) -> GGUFError {
            r.error(at, .badTensorShape(tensor: name, detail: detail))
        }
        var shape: [Int] = []
        var elements = 1
        for d in dims {
            guard let di = Int(exactly: d) else { throw shapeError("dimension \(d) too large") }
            let (n, overflow) = elements.multipliedReportingOverflow(by: di)
            guard !overflow else { throw shapeError("element count overflows") }
            elements = n
            shape.append(di)
        }
        if let ne0 = shape.first, ne0 % type.blockSize != 0 {
            throw shapeError("ne0 \(ne0) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        guard let bytes = type.byteCount(elements: elements) else {
            throw shapeError("byte size overflows or elements (\(elements)) not a whole number of \(type) blocks")
        }
        guard rel % UInt64(p.alignment) == 0 else { throw r.error(at, .misalignedTensor(tensor: name, offset: rel)) }
        // Compare in UInt64 so a huge stored offset cannot overflow Int.
        let (start, o1) = UInt64(p.dataOffset).addingReportingOverflow(rel)
        let (end, o2) = start.addingReportingOverflow(UInt64(bytes))
        guard !o1, !o2, end <= UInt64(r.count) else {
            throw r.error(at, .tensorDataBeyondEnd(tensor: name, end: o1 || o2 ? .max : end, fileSize: r.count))
        }
        return GGUFTensorInfo(name: name, shape: shape, type: type, offset: Int(start), byteCount: bytes)
    }
}

/// "uint32", "string", "array<string>", "array<array>"…
func typeName(_ e: MetadataEntry) -> String {
    e.array.map { "array<\($0.elementType)>" } ?? "\(e.type)"
}
