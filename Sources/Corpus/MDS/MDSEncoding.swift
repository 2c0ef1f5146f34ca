/// A column encoding as named in index.json (`str`, `int`, `ndarray:uint32`, …).
///
/// Only the encodings that carry plain data are supported; image and pickle columns are
/// rejected by name rather than read as opaque bytes, so a caller never mistakes them.
public enum MDSEncoding: Sendable, Equatable, CustomStringConvertible {
    case str, bytes, json
    /// `int` is int64; `int8`…`int64` are the numpy scalars of that width.
    case int(bits: Int, named: Bool)
    case uint(bits: Int)
    case float(bits: Int)
    case strInt, strFloat
    /// `ndarray`, `ndarray:DTYPE`, `ndarray:DTYPE:D0,D1,…`.
    case ndarray(dtype: MDSDType?, shape: [Int]?)

    /// Parses the encoding string; nil when it is not one we support.
    public init?(_ text: String) {
        switch text {
        case "str": self = .str
        case "bytes": self = .bytes
        case "json": self = .json
        case "int": self = .int(bits: 64, named: false)
        case "int8": self = .int(bits: 8, named: true)
        case "int16": self = .int(bits: 16, named: true)
        case "int32": self = .int(bits: 32, named: true)
        case "int64": self = .int(bits: 64, named: true)
        case "uint8": self = .uint(bits: 8)
        case "uint16": self = .uint(bits: 16)
        case "uint32": self = .uint(bits: 32)
        case "uint64": self = .uint(bits: 64)
        case "float16": self = .float(bits: 16)
        case "float32": self = .float(bits: 32)
        case "float64": self = .float(bits: 64)
        case "str_int": self = .strInt
        case "str_float": self = .strFloat
        case "ndarray": self = .ndarray(dtype: nil, shape: nil)
        default:
            guard text.hasPrefix("ndarray:") else { return nil }
            // Mirrors NDArray.from_str: "" -> dynamic, "dtype", "dtype:d0,d1".
            let args = text.dropFirst("ndarray:".count).split(separator: ":", omittingEmptySubsequences: false)
            if args == [""] { self = .ndarray(dtype: nil, shape: nil); return }
            guard args.count <= 2, let dtype = MDSDType(rawValue: String(args[0])) else { return nil }
            var shape: [Int]? = nil
            if args.count == 2 {
                let dims = args[1].split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
                guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
                shape = dims.map { $0! }
            }
            self = .ndarray(dtype: dtype, shape: shape)
        }
    }

    public var description: String {
        switch self {
        case .str: "str"
        case .bytes: "bytes"
        case .json: "json"
        case .int(let bits, let named): named ? "int\(bits)" : "int"
        case .uint(let bits): "uint\(bits)"
        case .float(let bits): "float\(bits)"
        case .strInt: "str_int"
        case .strFloat: "str_float"
        case .ndarray(nil, _): "ndarray"
        case .ndarray(let d?, nil): "ndarray:\(d.rawValue)"
        case .ndarray(let d?, let s?): "ndarray:\(d.rawValue):" + s.map(String.init).joined(separator: ",")
        }
    }

    /// Fixed encoded size in bytes, or nil for variable-size columns (index.json `column_sizes`).
    public var fixedSize: Int? {
        switch self {
        case .int(let bits, _), .uint(let bits), .float(let bits): bits / 8
        case .ndarray(let d?, let s?): s.reduce(1, *) * d.byteWidth
        default: nil
        }
    }
}
