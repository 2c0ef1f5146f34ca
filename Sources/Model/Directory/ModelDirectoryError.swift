/// Why a model directory could not be read, written or converted. The description names the file
/// and, where one is involved, the tensor, so the message alone says what to fix.
public struct ModelDirectoryError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The config asks for a parameter the weights do not hold.
        case missingTensor
        /// The weights hold a tensor the config's model has no place for.
        case unexpectedTensor
        case wrongShape(expected: [Int], actual: [Int])
        case notFloat(String)
        /// The output directory exists and --force was not given.
        case outputExists
        case unsupported(String)
        case io(String)
    }

    /// The file (or directory) concerned.
    public let path: String
    public let tensor: String?
    public let reason: Reason

    public init(path: String, tensor: String? = nil, reason: Reason) {
        self.path = path
        self.tensor = tensor
        self.reason = reason
    }

    public var description: String {
        let name = tensor.map { " tensor \"\($0)\":" } ?? ""
        return "\(path):\(name) \(message)"
    }

    private var message: String {
        switch reason {
        case .missingTensor: return "missing: the config's model needs it"
        case .unexpectedTensor: return "not a parameter of the model config.json describes (wrong model type, bias or layer count?)"
        case let .wrongShape(expected, actual): return "shape \(actual), but config.json implies \(expected)"
        case let .notFloat(dtype): return "dtype \(dtype) is not a float type (F32, BF16, F16 or F64)"
        case .outputExists: return "already exists; pass --force to replace it"
        case let .unsupported(why): return why
        case let .io(why): return why
        }
    }
}
