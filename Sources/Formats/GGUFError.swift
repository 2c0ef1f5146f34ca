/// Everything that can go wrong opening or querying a GGUF file.
/// The description always names the file and, where it applies, the byte offset,
/// so a bad download can be diagnosed from the message alone.
public struct GGUFError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case io(String)
        case badMagic([UInt8])
        case unsupportedVersion(UInt32)
        case bigEndian
        case truncated(reading: String, needed: Int, available: Int)
        case stringTooLong(UInt64)
        case absurdCount(what: String, count: UInt64)
        case unknownValueType(UInt32)
        case nestingTooDeep
        case duplicateKey(String)
        case duplicateTensor(String)
        case badAlignment(UInt32)
        case unknownTensorType(tensor: String, raw: UInt32)
        case badTensorShape(tensor: String, detail: String)
        case misalignedTensor(tensor: String, offset: UInt64)
        case tensorDataBeyondEnd(tensor: String, end: UInt64, fileSize: Int)
        case missingKey(String)
        case typeMismatch(key: String, actual: String, expected: String)
        case valueOutOfRange(key: String, expected: String)
    }

    public let path: String
    /// Byte offset in the file where the problem was found (nil for lookups and I/O errors).
    public let offset: Int?
    public let reason: Reason

    public init(path: String, offset: Int?, reason: Reason) {
        self.path = path
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        return "GGUF \(path)\(at): \(message)"
    }

    private var message: String {
        switch reason {
        case .io(let s): return s
        case .badMagic(let b):
            return "bad magic \(b.map { String($0, radix: 16) }) (expected \"GGUF\")"
        case .unsupportedVersion(let v):
            return v == 1
                ? "GGUF version 1 is not supported (re-convert the model; versions 2 and 3 are)"
                : "unsupported GGUF version \(v) (supported: 2, 3)"
        case .bigEndian: return "big-endian GGUF files are not supported"
        case .truncated(let what, let needed, let available):
            return "file truncated while reading \(what): need \(needed) bytes, \(available) left"
        case .stringTooLong(let n): return "string length \(n) runs beyond end of file"
        case .absurdCount(let what, let n): return "\(what) count \(n) cannot fit in the file"
        case .unknownValueType(let t): return "unknown metadata value type \(t)"
        case .nestingTooDeep: return "arrays nested too deeply"
        case .duplicateKey(let k): return "duplicate metadata key \"\(k)\""
        case .duplicateTensor(let n): return "duplicate tensor name \"\(n)\""
        case .badAlignment(let a): return "general.alignment \(a) is not a non-zero power of two"
        case .unknownTensorType(let n, let raw): return "tensor \"\(n)\" has unknown ggml type \(raw)"
        case .badTensorShape(let n, let d): return "tensor \"\(n)\": \(d)"
        case .misalignedTensor(let n, let off):
            return "tensor \"\(n)\" data offset \(off) is not a multiple of the alignment"
        case .tensorDataBeyondEnd(let n, let end, let size):
            return "tensor \"\(n)\" data ends at \(end), beyond end of file (\(size) bytes)"
        case .missingKey(let k): return "missing key \"\(k)\""
        case .typeMismatch(let k, let actual, let expected):
            return "key \"\(k)\" has type \(actual) not \(expected)"
        case .valueOutOfRange(let k, let expected):
            return "key \"\(k)\" value does not fit in \(expected)"
        }
    }
}
