/// Bytes -> column value (the inverse of MDSCodec.encode).
extension MDSCodec {
    /// Decodes `data` (exactly one column's bytes).
    static func decode(_ data: UnsafeRawBufferPointer, as enc: MDSEncoding) throws(MDSCodecFailure) -> MDSValue {
        switch enc {
        case .bytes: return .bytes(Array(data))
        case .str: return .string(try utf8(data))
        case .json: return .json(try utf8(data))
        case .strInt:
            let s = try utf8(data)
            guard let v = Int64(s) else { throw MDSCodecFailure(reason: "str_int value '\(s)' is not an integer") }
            return .int(v)
        case .strFloat:
            let s = try utf8(data)
            guard let v = Double(s) else { throw MDSCodecFailure(reason: "str_float value '\(s)' is not a number") }
            return .double(v)
        case .int(let bits, _):
            try need(data, bits / 8)
            switch bits {
            case 8: return .int(Int64(LE.load(data, 0, as: Int8.self)))
            case 16: return .int(Int64(LE.load(data, 0, as: Int16.self)))
            case 32: return .int(Int64(LE.load(data, 0, as: Int32.self)))
            default: return .int(LE.load(data, 0, as: Int64.self))
            }
        case .uint(let bits):
            try need(data, bits / 8)
            switch bits {
            case 8: return .uint(UInt64(data[0]))
            case 16: return .uint(UInt64(LE.load(data, 0, as: UInt16.self)))
            case 32: return .uint(UInt64(LE.load(data, 0, as: UInt32.self)))
            default: return .uint(LE.load(data, 0, as: UInt64.self))
            }
        case .float(let bits):
            try need(data, bits / 8)
            switch bits {
            case 16: return .double(float16Value(LE.load(data, 0, as: UInt16.self)))
            case 32: return .double(Double(Float(bitPattern: LE.load(data, 0, as: UInt32.self))))
            default: return .double(Double(bitPattern: LE.load(data, 0, as: UInt64.self)))
            }
        case .ndarray(let dtype, let shape): return .array(try decodeArray(data, dtype: dtype, shape: shape))
        }
    }

    private static func need(_ data: UnsafeRawBufferPointer, _ n: Int) throws(MDSCodecFailure) {
        guard data.count == n else { throw MDSCodecFailure(reason: "expected \(n) bytes, found \(data.count)") }
    }

    private static func utf8(_ data: UnsafeRawBufferPointer) throws(MDSCodecFailure) -> String {
        guard let s = String(validating: data.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw MDSCodecFailure(reason: "invalid UTF-8")
        }
        return s
    }

    private static func decodeArray(_ data: UnsafeRawBufferPointer, dtype fixedType: MDSDType?, shape fixedShape: [Int]?) throws(MDSCodecFailure) -> MDSArray {
        var at = 0
        let dtype: MDSDType
        if let fixedType { dtype = fixedType } else {
            guard data.count > at else { throw MDSCodecFailure(reason: "ndarray: missing dtype byte") }
            guard let t = MDSDType(code: data[at]) else { throw MDSCodecFailure(reason: "ndarray: unknown dtype code \(data[at])") }
            dtype = t
            at += 1
        }
        let shape: [Int]
        if let fixedShape { shape = fixedShape } else {
            guard data.count > at else { throw MDSCodecFailure(reason: "ndarray: missing shape byte") }
            let ndim = Int(data[at] >> 2), width = 1 << Int(data[at] & 3)
            at += 1
            guard data.count >= at + ndim * width else { throw MDSCodecFailure(reason: "ndarray: shape runs past the column") }
            shape = (0..<ndim).map { i in
                var v: UInt64 = 0
                for b in (0..<width).reversed() { v = v << 8 | UInt64(data[at + i * width + b]) }
                return Int(clamping: v)
            }
            at += ndim * width
        }
        let bodyBytes = data.count - at, width = dtype.byteWidth
        let n = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        guard bodyBytes % width == 0, bodyBytes / width == n else {
            throw MDSCodecFailure(reason: "ndarray: \(bodyBytes) value bytes do not fill shape \(shape) of \(dtype.rawValue)")
        }
        let body = UnsafeRawBufferPointer(rebasing: data[at...])
        let storage: MDSArray.Storage
        switch dtype {
        case .uint8: storage = .uint8(Array(body))
        case .int8: storage = .int8(LE.loadArray(body, 0, count: n, as: Int8.self))
        case .uint16: storage = .uint16(LE.loadArray(body, 0, count: n, as: UInt16.self))
        case .int16: storage = .int16(LE.loadArray(body, 0, count: n, as: Int16.self))
        case .float16: storage = .float16Bits(LE.loadArray(body, 0, count: n, as: UInt16.self))
        case .uint32: storage = .uint32(LE.loadArray(body, 0, count: n, as: UInt32.self))
        case .int32: storage = .int32(LE.loadArray(body, 0, count: n, as: Int32.self))
        case .float32: storage = .float32(LE.loadArray(body, 0, count: n, as: UInt32.self).map(Float.init(bitPattern:)))
        case .uint64: storage = .uint64(LE.loadArray(body, 0, count: n, as: UInt64.self))
        case .int64: storage = .int64(LE.loadArray(body, 0, count: n, as: Int64.self))
        case .float64: storage = .float64(LE.loadArray(body, 0, count: n, as: UInt64.self).map(Double.init(bitPattern:)))
        }
        return MDSArray(storage, shape: shape)
    }
}
