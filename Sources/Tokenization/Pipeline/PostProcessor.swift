/// What `encode(addSpecialTokens: true)` adds around a single sequence (BOS/EOS and the like).
indirect enum PostProcessor: Sendable {
    /// TemplateProcessing's `single` template: token ids before and after the sequence.
    case template(prefix: [TokenID], suffix: [TokenID])
    case sequence([PostProcessor])
    case none

    func apply(_ ids: [TokenID]) -> [TokenID] {
        switch self {
        case .none: return ids
        case let .template(prefix, suffix): return prefix + ids + suffix
        case .sequence(let steps): return steps.reduce(ids) { $1.apply($0) }
        }
    }
}
