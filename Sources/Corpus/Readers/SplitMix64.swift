/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and identical on every platform, unlike
/// SystemRandomNumberGenerator, so a seed reproduces the same shuffle everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound without modulo bias (Lemire's multiply-and-reject).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= (0 &- bound) % bound { return product.high }
        }
    }
}

/// Fisher-Yates with our own bounded draws (Swift's shuffle(using:) algorithm is not a
/// documented contract, so its output could change between toolchains).
public func seededShuffle<T>(_ items: inout [T], using generator: inout SplitMix64) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
        let j = Int(generator.next(below: UInt64(i + 1)))
        items.swapAt(i, j)
    }
}

/// FNV-1a over UTF-8: a stable string hash (Swift's Hasher is randomly seeded per process).
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
}
