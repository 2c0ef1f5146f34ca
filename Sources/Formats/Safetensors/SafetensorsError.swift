/// Everything that can go wrong reading or writing safetensors files and checkpoints. The
/// description names the file and, where it applies, the byte offset and the tensor, so a bad
/// download can be diagnosed from the message alone.
public struct SafetensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case io(String)
        case fileTooSmall(size: Int)
        case headerTooLarge(size: UInt64, limit: Int)
        case headerBeyondEnd(size: UInt64, fileSize: Int)
        case headerJSON(String)
        case headerNotObject(String)
        case badMetadata(String)
        case badTensorEntry(String)
        case unknownDType(String)
        case duplicateTensor
        case shapeOverflow
        /// data_offsets span disagrees with dtype size times element count.
        case sizeMismatch(expected: Int, declared: Int)
        /// Tensors, ordered by offset, must tile the data section from 0 with no gap or overlap.
        case offsetNotContiguous(expectedStart: Int, start: Int)
        case dataLengthMismatch(tensorsEnd: Int, dataLength: Int)
        case tensorNotFound
        case notFloat(SafetensorsDType)
        case badIndex(String)
        case missingShard(String)
        case tensorMissingFromShard(shard: String)
        case noWeights
        case ambiguousWeights([String])
        case invalidTensor(String)
        case invalidArgument(String)
    }

    public let path: String
    /// Absolute byte offset in the file, where the problem was found.
    public let offset: Int?
    public let tensor: String?
    public let reason: Reason

    public init(path: String, offset: Int? = nil, tensor: String? = nil, reason: Reason) {
        self.path = path
        self.offset = offset
        self.tensor = tensor
        self.reason = reason
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        let name = tensor.map { " tensor \"\($0)\":" } ?? ""
        return "safetensors \(path)\(at):\(name) \(message)"
    }

    private var message: String {
        switch reason {
        case .io(let s): return s
        case .fileTooSmall(let n): return "file is \(n) bytes, too small for the 8-byte header length"
        case .headerTooLarge(let n, let limit): return "header length \(n) exceeds the \(limit)-byte limit"
        case .headerBeyondEnd(let n, let size): return "header length \(n) runs past the end of the file (\(size) bytes)"
        case .headerJSON(let s): return "header JSON: \(s)"
        case .headerNotObject(let kind): return "header is a JSON \(kind), not an object"
        case .badMetadata(let s): return "__metadata__ \(s)"
        case .badTensorEntry(let s): return s
        case .unknownDType(let s): return "unknown dtype \"\(s)\""
        case .duplicateTensor: return "appears twice in the header"
        case .shapeOverflow: return "shape's byte size overflows"
        case .sizeMismatch(let expected, let declared):
            return "data_offsets span \(declared) bytes but dtype and shape need \(expected)"
        case .offsetNotContiguous(let expected, let start):
            return start < expected
                ? "data starts at \(start), overlapping the previous tensor (which ends at \(expected))"
                : "data starts at \(start), leaving a gap after the previous tensor (which ends at \(expected))"
        case .dataLengthMismatch(let end, let length):
            return end < length
                ? "tensors end at data offset \(end) but the data section is \(length) bytes (trailing bytes)"
                : "tensors end at data offset \(end) but the data section is only \(length) bytes (file truncated?)"
        case .tensorNotFound: return "no such tensor"
        case .notFloat(let t): return "dtype \(t) does not convert to Float"
        case .badIndex(let s): return "index: \(s)"
        case .missingShard(let s): return "shard \"\(s)\" named in the index is missing"
        case .tensorMissingFromShard(let shard): return "listed in the index under \"\(shard)\" but not in that file"
        case .noWeights: return "no model.safetensors.index.json, model.safetensors or other .safetensors file"
        case .ambiguousWeights(let names):
            return "several .safetensors files (\(names.joined(separator: ", "))) and no model.safetensors.index.json"
        case .invalidTensor(let s), .invalidArgument(let s): return s
        }
    }
}
