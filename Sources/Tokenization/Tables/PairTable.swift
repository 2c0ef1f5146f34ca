/// BPE merges keyed by the pair of token ids: (left, right) -> (rank, merged id). Open addressing over
/// two flat arrays; a lookup is one multiply-hash and usually one probe.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func key(_ left: TokenID, _ right: TokenID) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    /// Keeps the first insertion for a pair (the lowest rank, as merges are inserted in rank order).
    mutating func insertIfAbsent(left: TokenID, right: TokenID, rank: UInt32, merged: TokenID) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = Self.key(left, right)
        var i = Int(truncatingIfNeeded: mixHash(k)) & mask
        while keys[i] != Self.empty {
            if keys[i] == k { return }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = UInt64(rank) << 32 | UInt64(merged)
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (k, v) in zip(oldKeys, oldValues) where k != Self.empty {
            var i = Int(truncatingIfNeeded: mixHash(k)) & mask
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }

    /// (rank << 32 | merged), or nil when the pair does not merge.
    @inline(__always)
    func lookup(_ left: TokenID, _ right: TokenID) -> UInt64? {
        let k = Self.key(left, right)
        return keys.withUnsafeBufferPointer { ks in
            var i = Int(truncatingIfNeeded: mixHash(k)) & mask
            while true {
                let probe = ks[i]
                if probe == k { return values[i] }
                if probe == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }
}
