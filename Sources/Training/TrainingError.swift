/// Why training cannot go on, naming the file, sample or key at fault.
public enum TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A sample of a dataset that cannot be trained on.
    case badSample(location: String, reason: String)
    /// A dataset directory that cannot be used.
    case badDataset(path: String, reason: String)
    /// A checkpoint that does not match this run or cannot be read.
    case badCheckpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case .badSample(let location, let reason): "\(location): \(reason)"
        case .badDataset(let path, let reason): "\(path): \(reason)"
        case .badCheckpoint(let path, let reason): "checkpoint \(path): \(reason)"
        }
    }
}
