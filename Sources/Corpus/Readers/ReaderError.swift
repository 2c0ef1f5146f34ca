/// Failures that stop a reader. Bad records are not errors (they become `SkipRecord`s); these are
/// inputs that cannot be read at all, so continuing would silently lose data.
public enum ReaderError: Error, CustomStringConvertible, Sendable, Equatable {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    /// The compressed input ended mid-frame; `offset` is the compressed byte count read.
    case truncated(path: String, format: String, offset: Int)
    /// The decoder rejected the data at about `offset` bytes into the compressed input.
    case corrupt(path: String, format: String, offset: Int, message: String)
    case git(repo: String, message: String)
    /// A command-line source specification that cannot be understood.
    case badSpec(String, String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open: \(reason)"
        case let .readFailed(path, reason): return "\(path): read failed: \(reason)"
        case let .truncated(path, format, offset):
            return "\(path): truncated \(format) stream: input ended at compressed byte offset \(offset)"
        case let .corrupt(path, format, offset, message):
            return "\(path): corrupt \(format) stream at compressed byte offset \(offset): \(message)"
        case let .git(repo, message): return "\(repo): git: \(message)"
        case let .badSpec(spec, message): return "source '\(spec)': \(message)"
        }
    }
}
