/// How a checkpoint splits into shard files: huggingface_hub's `split_torch_state_dict_into_shards`
/// (what transformers' `save_pretrained` uses), so our shards hold the same tensors as theirs.
public struct SafetensorsShardPlan: Sendable, Equatable {
    /// Tensor names per shard file, in the order given.
    public let shards: [[String]]
    /// Sum of all tensors' byte sizes: the index's metadata.total_size.
    public let totalSize: Int

    /// Greedy, in the given order: a tensor larger than `maxShardSize` gets a shard of its own
    /// (closing nothing); otherwise the current shard is closed when the tensor would push it past
    /// `maxShardSize`.
    public init(tensors: [(name: String, byteCount: Int)], maxShardSize: Int) {
        var shards: [[String]] = []
        var current: [String] = []
        var currentSize = 0
        var total = 0
        for (name, size) in tensors {
            total += size
            if size > maxShardSize {
                shards.append([name])
                continue
            }
            if currentSize + size > maxShardSize {
                shards.append(current)
                current = []
                currentSize = 0
            }
            current.append(name)
            currentSize += size
        }
        if !current.isEmpty { shards.append(current) }
        self.shards = shards
        self.totalSize = total
    }

    /// "model.safetensors" alone, else "model-00001-of-00003.safetensors"… (five digits, 1-based).
    public var fileNames: [String] {
        if shards.count <= 1 { return ["model.safetensors"] }
        return (1...shards.count).map { "model-\(Self.fiveDigits($0))-of-\(Self.fiveDigits(shards.count)).safetensors" }
    }

    static func fiveDigits(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }

    /// Whether `name` looks like a shard this writer (or transformers) would produce.
    static func isShardFileName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count >= 27, name.hasPrefix("model-"), name.hasSuffix(".safetensors") else { return false }
        let middle = u[6..<(u.count - 12)]  // "00001-of-00003" (wider when there are 100000+ shards)
        guard let of = middle.firstRange(of: Array("-of-".utf8)) else { return false }
        let digits = middle[middle.startIndex..<of.lowerBound] + middle[of.upperBound...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
