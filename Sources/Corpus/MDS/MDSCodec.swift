/// Column value <-> bytes, following streaming's `mds/encodings.py` byte for byte.
/// Failures carry only a reason; the reader adds file and offset, the writer the column.
struct MDSCodecFailure: Error { let reason: String }

enum MDSCodec {
    static func encode(_ value: MDSValue, as enc: MDSEncoding) throws(MDSCodecFailure) -> [UInt8] {
        // streaming's mds_encode passes `bytes` through for every encoding; so do we.
        if case .bytes(let b) = value { return b }
        switch (enc, value) {
        case (.str, .string(let s)): return Array(s.utf8)
        case (.json, .json(let s)): return Array(s.utf8)
        case (.strInt, .int(let v)): return Array(String(v).utf8)
        case (.strInt, .uint(let v)): return Array(String(v).utf8)
        case (.strFloat, .double(let v)): return Array(String(v).utf8)  // Swift and Python repr agree on shortest digits
        case (.int(let bits, _), _), (.uint(let bits), _):
            return try encodeInteger(value, bits: bits, signed: { if case .int = enc { true } else { false } }())
        case (.float(let bits), .double(let v)): return try encodeFloat(v, bits: bits)
        case (.float(let bits), .int(let v)): return try encodeFloat(Double(v), bits: bits)
        case (.ndarray(let dtype, let shape), .array(let a)): return try encodeArray(a, dtype: dtype, shape: shape)
        default: throw MDSCodecFailure(reason: "value \(value) does not fit encoding '\(enc)'")
        }
    }

    private static func encodeInteger(_ value: MDSValue, bits: Int, signed: Bool) throws(MDSCodecFailure) -> [UInt8] {
        // Widen to a signed 128-bit-ish check via two paths so uint64 max still fits uint64.
        let fits: Bool
        var raw: UInt64
        switch value {
        case .int(let v):
            raw = UInt64(bitPattern: v)
            fits = signed ? (bits == 64 || (v >= -(1 << (bits - 1)) && v < (1 << (bits - 1))))
                          : (v >= 0 && (bits == 64 || v < (1 << bits)))
        case .uint(let v):
            raw = v
            fits = signed ? v <= UInt64(1) << (bits - 1) - 1 : (bits == 64 || v < (UInt64(1) << bits))
        default: throw MDSCodecFailure(reason: "value \(value) is not an integer")
        }
        guard fits else { throw MDSCodecFailure(reason: "\(value) out of range for \(signed ? "int" : "uint")\(bits)") }
        var out: [UInt8] = []
        for i in 0..<(bits / 8) { out.append(UInt8(truncatingIfNeeded: raw)); raw >>= 8; _ = i }
        return out
    }

    private static func encodeFloat(_ v: Double, bits: Int) throws(MDSCodecFailure) -> [UInt8] {
        var out: [UInt8] = []
        switch bits {
        case 16: LE.append(try float16Bits(v), to: &out)
        case 32: LE.append(Float(v).bitPattern, to: &out)
        default: LE.append(v.bitPattern, to: &out)
        }
        return out
    }

    private static func float16Bits(_ v: Double) throws(MDSCodecFailure) -> UInt16 {
        #if arch(x86_64) && os(macOS)
        throw MDSCodecFailure(reason: "float16 is not available on this platform")
        #else
        return Float16(v).bitPattern
        #endif
    }

    static func float16Value(_ bits: UInt16) -> Double {
        #if arch(x86_64) && os(macOS)
        return .nan
        #else
        return Double(Float16(bitPattern: bits))
        #endif
    }

    private static func encodeArray(_ a: MDSArray, dtype: MDSDType?, shape: [Int]?) throws(MDSCodecFailure) -> [UInt8] {
        var out: [UInt8] = []
        if let dtype {
            guard dtype == a.dtype else { throw MDSCodecFailure(reason: "wrong dtype: expected \(dtype.rawValue), got \(a.dtype.rawValue)") }
        } else {
            out.append(a.dtype.code)
        }
        guard a.count > 0 else { throw MDSCodecFailure(reason: "cannot encode an array with 0 elements") }
        guard !a.shape.isEmpty else { throw MDSCodecFailure(reason: "cannot encode a scalar (empty shape) as ndarray") }
        guard a.shape.allSatisfy({ $0 > 0 }), a.shape.reduce(1, *) == a.count else {
            throw MDSCodecFailure(reason: "shape \(a.shape) does not match \(a.count) elements")
        }
        if let shape {
            guard shape == a.shape else { throw MDSCodecFailure(reason: "wrong shape: expected \(shape), got \(a.shape)") }
        } else {
            guard a.shape.count < 64 else { throw MDSCodecFailure(reason: "array has too many axes (max 63)") }
            // Smallest unsigned type that holds the largest dimension (NDArray._rightsize_shape_dtype).
            let maxDim = UInt64(a.shape.max()!)
            let code: UInt8 = maxDim < 1 << 8 ? 0 : maxDim < 1 << 16 ? 1 : maxDim < 1 << 32 ? 2 : 3
            out.append(UInt8(a.shape.count) << 2 | code)
            for d in a.shape {
                var v = UInt64(d)
                for _ in 0..<(1 << Int(code)) { out.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
            }
        }
        appendElements(a.storage, to: &out)
        return out
    }

    private static func appendElements(_ s: MDSArray.Storage, to out: inout [UInt8]) {
        #if _endian(little)
        // The in-memory layout is already the file's: copy in bulk (token arrays are most of a shard).
        switch s {
        case .uint8(let v): out.append(contentsOf: v)
        case .int8(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .uint16(let v), .float16Bits(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .int16(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .uint32(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .int32(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .float32(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .uint64(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .int64(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .float64(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        #else
        switch s {
        case .uint8(let v): out.append(contentsOf: v)
        case .int8(let v): for x in v { LE.append(x, to: &out) }
        case .uint16(let v), .float16Bits(let v): for x in v { LE.append(x, to: &out) }
        case .int16(let v): for x in v { LE.append(x, to: &out) }
        case .uint32(let v): for x in v { LE.append(x, to: &out) }
        case .int32(let v): for x in v { LE.append(x, to: &out) }
        case .float32(let v): for x in v { LE.append(x.bitPattern, to: &out) }
        case .uint64(let v): for x in v { LE.append(x, to: &out) }
        case .int64(let v): for x in v { LE.append(x, to: &out) }
        case .float64(let v): for x in v { LE.append(x.bitPattern, to: &out) }
        }
        #endif
    }
}
