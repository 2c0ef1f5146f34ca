import Model

/// A training-free RoPE change applied when a model is loaded for inference, written `TYPE:FACTOR` on the command
/// line: `yarn:2`, `dynamic:2`, `linear:2` (factor over the model's own context), or `theta:BASE` (a new base, as
/// ProLong's ABF uses after training). The result is the config transformers would read from the same keys.
public struct RoPEOverride: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable { case yarn, dynamic, linear, theta }
    public var kind: Kind
    public var value: Double

    public init(kind: Kind, value: Double) {
        self.kind = kind
        self.value = value
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0].lowercased()), let value = Double(parts[1]),
              value.isFinite, value > 0 else {
            throw ConfigError(key: "rope", .outOfRange(
                "'\(text)' is not TYPE:VALUE with TYPE one of \(Kind.allCases.map(\.rawValue).joined(separator: ", ")) and VALUE > 0"))
        }
        if kind != .theta && value < 1 {
            throw ConfigError(key: "rope", .outOfRange("scaling factor \(value) must be >= 1"))
        }
        self.init(kind: kind, value: value)
    }

    public var description: String { "\(kind.rawValue):\(value.formatted)" }

    /// The config with this RoPE; the model's own context (max_position_embeddings) is the original length.
    public func applied(to document: ConfigDocument) throws -> ConfigDocument {
        let config = document.config
        let original = config.rope.scaling.originalMaxPositionEmbeddings ?? config.maxPositionEmbeddings
        switch kind {
        case .theta:
            return try document.changingRoPE(base: value, scaling: config.rope.scaling, maxPositionEmbeddings: config.maxPositionEmbeddings)
        case .linear:
            return try document.changingRoPE(base: config.rope.base, scaling: .linear(factor: value),
                                             maxPositionEmbeddings: Int((Double(original) * value).rounded()))
        case .dynamic:
            // transformers' dynamic NTK grows the base past max_position_embeddings, which stays the original.
            return try document.changingRoPE(base: config.rope.base, scaling: .dynamic(factor: value), maxPositionEmbeddings: original)
        case .yarn:
            return try document.changingRoPE(base: config.rope.base,
                                             scaling: .yarn(YaRNScaling(factor: value, originalMaxPositionEmbeddings: original)),
                                             maxPositionEmbeddings: Int((Double(original) * value).rounded()))
        }
    }
}

private extension Double {
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
