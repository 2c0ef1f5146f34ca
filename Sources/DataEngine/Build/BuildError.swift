/// Why a build stopped.
public enum BuildError: Error, CustomStringConvertible, Sendable {
    /// A checkpoint or part does not fit the recipe or inputs it is resumed or merged with.
    case resumeMismatch(String)
    case output(path: String, reason: String)
    /// `--strict`: the first bad input record.
    case strict(String)
    case merge(String)
    case tokenizer(String)

    public var description: String {
        switch self {
        case .resumeMismatch(let m): return "cannot resume: \(m)"
        case .output(let path, let reason): return "\(path): \(reason)"
        case .strict(let m): return "stopped on bad input (--strict): \(m)"
        case .merge(let m): return "cannot merge: \(m)"
        case .tokenizer(let m): return "tokenizer: \(m)"
        }
    }
}
