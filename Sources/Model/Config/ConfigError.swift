/// A config.json that we refuse, naming the file and the key (dotted for nested keys, e.g.
/// `rope_scaling.factor`) so the user can fix it by hand.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the config came from; nil when it was parsed from memory.
    public var file: String?
    public var key: String
    public var problem: ConfigProblem

    public init(file: String? = nil, key: String, _ problem: ConfigProblem) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(file ?? "config"): `\(key)`: \(problem)" }

    func inFile(_ file: String?) -> ConfigError {
        var copy = self
        copy.file = copy.file ?? file
        return copy
    }
}

public enum ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case invalidJSON(String)
    case missing
    case wrongType(expected: String)
    case notPositive
    case outOfRange(String)
    /// `key` must be a multiple of the named key (e.g. hidden_size of num_attention_heads).
    case notDivisible(by: String)
    case unsupportedModelType(String)
    case unsupportedActivation(String)
    case unsupportedRoPEType(String)
    case factorBelowOne(Double)
    case wrongLength(expected: Int, actual: Int)
    /// `key` must be greater than the named key (beta_fast > beta_slow, high > low freq factor).
    case notGreater(than: String)
    /// rope_parameters nested per layer type; Llama, Mistral and Qwen2 read one flat dict.
    case perLayerRoPE([String])
    /// Two keys give different values for the same thing, and transformers versions would disagree.
    case conflicting(with: String)
    /// The two transformers versions we target would read this config's RoPE differently.
    case transformersVersionsDisagree(String)
    case slidingWindowShorterThanSequence(window: Int, sequenceLength: Int)

    public var description: String {
        switch self {
        case let .unreadable(reason): return "cannot read the file: \(reason)"
        case let .invalidJSON(message): return "not valid JSON: \(message)"
        case .missing: return "required key is missing"
        case let .wrongType(expected): return "expected \(expected)"
        case .notPositive: return "must be positive"
        case let .outOfRange(rule): return "out of range: \(rule)"
        case let .notDivisible(by): return "must be a multiple of `\(by)`"
        case let .unsupportedModelType(type):
            return "model_type '\(type)' is not supported (supported: \(ModelFamily.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .unsupportedActivation(name): return "hidden_act '\(name)' is not supported (only silu)"
        case let .unsupportedRoPEType(type):
            return "rope type '\(type)' is not supported (supported: \(RoPEScaling.typeNames.joined(separator: ", ")))"
        case let .factorBelowOne(factor): return "factor must be >= 1, got \(factor)"
        case let .wrongLength(expected, actual): return "expected \(expected) values (rotary dim / 2), got \(actual)"
        case let .notGreater(than): return "must be greater than `\(than)`"
        case let .perLayerRoPE(layerTypes):
            return "RoPE parameters per layer type (\(layerTypes.joined(separator: ", "))) are not supported: Llama-family models use one RoPE for every layer"
        case let .conflicting(other): return "disagrees with `\(other)`; transformers 4 and 5 would read different values"
        case let .transformersVersionsDisagree(detail): return "transformers 4 and 5 would read this RoPE differently: \(detail)"
        case let .slidingWindowShorterThanSequence(window, length):
            return "the model attends within a sliding window of \(window) tokens, shorter than the sequence length \(length); our attention is full causal, so training at this length would change the model's behaviour. Remove the window (ConfigDocument.removingSlidingWindow) to train with full attention, as ProLong does"
        }
    }
}
