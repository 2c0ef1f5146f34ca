import Foundation

/// Python's `random.Random` (MT19937 seeded from an integer, `_randbelow` by rejection on `getrandbits`), so the
/// choices HELMET makes with `random.Random(seed)` (class-balanced ICL demonstrations, label permutations) come out
/// the same here for the same seed and data. Also the task generators' seeded source of randomness.
public struct PythonRandom: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `random.seed(n)` for a non-negative integer below 2^64 (Python splits |n| into 32-bit words).
    public init(seed: UInt64) {
        var key: [UInt32] = []
        var n = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: n))
            n >>= 32
        } while n > 0
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    private mutating func twist() {
        for k in 0..<624 {
            let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7FFF_FFFF)
            state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }

    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)`, k in 0...64 (words are filled low first, as CPython does).
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition((0...64).contains(k))
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> UInt32(64 - k))
        return low | high << 32
    }

    /// `_randbelow(n)`: uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// `randint(a, b)`, both ends included.
    public mutating func randint(_ a: Int, _ b: Int) -> Int { a + below(b - a + 1) }

    /// `random()`: 53 random bits in [0, 1).
    public mutating func random() -> Double {
        let a = UInt64(nextUInt32() >> 5), b = UInt64(nextUInt32() >> 6)
        return (Double(a) * 67_108_864.0 + Double(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `shuffle(x)`.
    public mutating func shuffle<T>(_ x: inout [T]) {
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, through: 1, by: -1) {
            x.swapAt(i, below(i + 1))
        }
    }

    /// `sample(range(n), k)`: k distinct indices, CPython's pool or set algorithm chosen as it chooses.
    public mutating func sample(rangeOf n: Int, count k: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "sample larger than population")
        var setSize = 21
        if k > 5 { setSize += Int(pow4(ceilLog4(Double(k * 3)))) }
        var result: [Int] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = below(n)
                while selected.contains(j) { j = below(n) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }

    /// `_ceil(_log(x, 4))` with Python's float log.
    private func ceilLog4(_ x: Double) -> Int { Int((Foundation.log(x) / Foundation.log(4.0)).rounded(.up)) }
    private func pow4(_ e: Int) -> Int { e <= 0 ? 1 : (0..<e).reduce(1) { r, _ in r * 4 } }
}
