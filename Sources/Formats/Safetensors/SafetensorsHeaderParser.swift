/// Reads and validates a safetensors header against the rules of the reference library
/// (huggingface/safetensors `tensor.rs`): header length at most 100 MB, a JSON object of
/// {name: {dtype, shape, data_offsets}} plus an optional string map `__metadata__`, and tensors
/// that, ordered by offset, tile the data section exactly (no gap, no overlap, nothing after).
struct SafetensorsHeaderParser {
    let path: String
    let file: UnsafeRawBufferPointer

    struct Parsed {
        var headerSize = 0
        var metadata: [String: String]?
        var tensors: [SafetensorsTensorInfo] = []
    }

    private func error(_ offset: Int, _ tensor: String?, _ reason: SafetensorsError.Reason) -> SafetensorsError {
        SafetensorsError(path: path, offset: offset, tensor: tensor, reason: reason)
    }

    private func error(_ offset: Int, _ reason: SafetensorsError.Reason) -> SafetensorsError {
        error(offset, nil, reason)
    }

    func parse() throws(SafetensorsError) -> Parsed {
        guard file.count >= 8 else { throw error(0, .fileTooSmall(size: file.count)) }
        let declared = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(SafetensorsFile.maxHeaderSize) else {
            throw error(0, .headerTooLarge(size: declared, limit: SafetensorsFile.maxHeaderSize))
        }
        guard declared <= UInt64(file.count - 8) else { throw error(0, .headerBeyondEnd(size: declared, fileSize: file.count)) }
        let headerSize = Int(declared)
        let json: OrderedJSON
        do {
            json = try OrderedJSONParser.parse(UnsafeRawBufferPointer(rebasing: file[8..<(8 + headerSize)]))
        } catch {
            throw self.error(8 + error.offset, .headerJSON(error.message))
        }
        guard case .object(let members) = json else { throw error(8, .headerNotObject(json.kind)) }

        var out = Parsed(headerSize: headerSize)
        let dataStart = 8 + headerSize
        var entries: [(info: SafetensorsTensorInfo, begin: Int, end: Int, headerOffset: Int)] = []
        var seen = Set<String>()
        for member in members {
            let at = 8 + member.offset
            if member.key == "__metadata__" {
                guard out.metadata == nil else { throw error(at, .badMetadata("appears twice")) }
                out.metadata = try metadata(member.value, at)
                continue
            }
            guard seen.insert(member.key).inserted else { throw error(at, member.key, .duplicateTensor) }
            let (dtype, shape, begin, end) = try tensorEntry(member.value, member.key, at, dataLength: file.count - dataStart)
            let info = SafetensorsTensorInfo(name: member.key, dtype: dtype, shape: shape,
                                             byteRange: (dataStart + begin)..<(dataStart + end))
            entries.append((info, begin, end, at))
        }

        // Same order as the reference: by (begin, end), so zero-sized tensors sit where they point.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expectedStart = 0
        for e in entries {
            guard e.begin == expectedStart else {
                throw error(dataStart + e.begin, e.info.name, .offsetNotContiguous(expectedStart: expectedStart, start: e.begin))
            }
            var bytes = e.info.dtype.size
            for d in e.info.shape {
                let (n, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else { throw error(e.headerOffset, e.info.name, .shapeOverflow) }
                bytes = n
            }
            guard e.end - e.begin == bytes else {
                throw error(e.headerOffset, e.info.name, .sizeMismatch(expected: bytes, declared: e.end - e.begin))
            }
            expectedStart = e.end
        }
        let dataLength = file.count - dataStart
        guard expectedStart == dataLength else {
            throw error(dataStart + min(expectedStart, dataLength), entries.last?.info.name,
                        .dataLengthMismatch(tensorsEnd: expectedStart, dataLength: dataLength))
        }
        out.tensors = entries.map(\.info)
        return out
    }

    private func metadata(_ value: OrderedJSON, _ at: Int) throws(SafetensorsError) -> [String: String] {
        guard case .object(let members) = value else { throw error(at, .badMetadata("is a JSON \(value.kind), not an object")) }
        var out: [String: String] = [:]
        for m in members {
            guard case .string(let s) = m.value else {
                throw error(8 + m.offset, .badMetadata("value of \"\(m.key)\" is a \(m.value.kind), not a string"))
            }
            out[m.key] = s
        }
        return out
    }

    private func tensorEntry(_ value: OrderedJSON, _ name: String, _ at: Int, dataLength: Int)
        throws(SafetensorsError) -> (SafetensorsDType, [Int], Int, Int)
    {
        func bad(_ why: String) -> SafetensorsError { error(at, name, .badTensorEntry(why)) }
        guard case .object(let fields) = value else { throw bad("entry is a JSON \(value.kind), not an object") }
        func field(_ key: String) throws(SafetensorsError) -> OrderedJSON {
            let matches = fields.filter { $0.key == key }
            guard let f = matches.first else { throw bad("missing \"\(key)\"") }
            guard matches.count == 1 else { throw bad("\"\(key)\" appears twice") }
            return f.value
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw bad("\"dtype\" is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw error(at, name, .unknownDType(dtypeName)) }
        guard case .array(let dims) = try field("shape") else { throw bad("\"shape\" is not an array") }
        var shape: [Int] = []
        for d in dims {
            guard case .integer(let n) = d, n >= 0 else { throw bad("\"shape\" holds \(d.brief), not a non-negative integer") }
            shape.append(n)
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
              case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1],
              begin >= 0, end >= 0
        else { throw bad("\"data_offsets\" is not a pair of non-negative integers") }
        guard begin <= end else { throw bad("\"data_offsets\" [\(begin), \(end)] ends before it starts") }
        guard end <= dataLength else {
            throw bad("\"data_offsets\" [\(begin), \(end)] run past the end of the data section (\(dataLength) bytes)")
        }
        return (dtype, shape, begin, end)
    }
}
