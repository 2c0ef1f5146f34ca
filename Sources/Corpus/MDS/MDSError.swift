/// Everything that can go wrong reading or writing MDS; messages name the file and, for shard
/// corruption, the byte offset, so a bad download can be found without a debugger.
public enum MDSError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingIndex(path: String)
    case badIndex(path: String, reason: String)
    case unknownEncoding(column: String, encoding: String)
    case compressedShard(path: String, compression: String)
    case corruptShard(path: String, offset: Int, reason: String)
    case missingShard(path: String)
    case badValue(column: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingIndex(let p): "MDS index not found: \(p)"
        case .badIndex(let p, let r): "MDS index \(p) is invalid: \(r)"
        case .unknownEncoding(let c, let e): "MDS column '\(c)': unsupported encoding '\(e)'"
        case .compressedShard(let p, let c):
            "\(p): compressed shards not supported yet (compression '\(c)'); decompress first"
        case .corruptShard(let p, let o, let r): "\(p): corrupt shard at byte \(o): \(r)"
        case .missingShard(let p): "MDS shard not found: \(p)"
        case .badValue(let c, let r): "MDS column '\(c)': \(r)"
        case .io(let p, let r): "\(p): \(r)"
        }
    }
}
