/// Why a GGUF tensor could not be dequantized or a GGUF model could not be mapped to HF names.
/// The description names the file and, where one is involved, the tensor.
public struct GGUFWeightsError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case unsupportedType(GGMLType)
        case unsupportedArchitecture(String)
        case unknownTensor
        case missingTensor
        case badShape(expected: [Int], actual: [Int])
        case missingKey(String)
        case badValue(key: String, detail: String)
        case metadata(String)
    }

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
        return "GGUF\(path.isEmpty ? "" : " " + path):\(name) \(message)"
    }

    private var message: String {
        switch reason {
        case .unsupportedType(let t):
            let supported = GGMLType.allCases.filter(\.isDequantizable).map(\.description).joined(separator: ", ")
            return "type \(t) cannot be dequantized (supported: \(supported))"
        case .unsupportedArchitecture(let a):
            return "architecture \"\(a)\" is not supported (supported: \(GGUFModelConfig.supportedArchitectures.joined(separator: ", ")))"
        case .unknownTensor: return "not a tensor of a Llama-family model; refusing to guess where it goes"
        case .missingTensor: return "missing"
        case .badShape(let expected, let actual): return "shape (ggml order) is \(actual), expected \(expected)"
        case .missingKey(let k): return "missing metadata key \"\(k)\""
        case .badValue(let k, let detail): return "metadata \"\(k)\": \(detail)"
        case .metadata(let s): return s
        }
    }
}
