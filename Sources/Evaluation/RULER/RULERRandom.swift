/// The seeded random source behind every RULER draw: xoshiro256** seeded through SplitMix64, with our own
/// bounded-integer, shuffle and sampling routines so samples stay the same across Swift versions (the
/// standard library's `random(in:using:)` algorithms are not promised to be stable).
struct RULERRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// `stream` separates independent sequences drawn from one seed (a task name, "search", "icl"...).
    init(seed: UInt64, stream: String = "") {
        var x = seed ^ Self.fnv1a(stream)
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in 0..<bound (rejection sampling, no modulo bias).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "RULERRandom.below needs a positive bound")
        let n = UInt64(bound)
        let limit = UInt64.max - UInt64.max % n
        while true {
            let r = next()
            if r < limit { return Int(r % n) }
        }
    }

    /// Uniform in the closed range, like Python's `random.randint(a, b)`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func element<T>(of items: [T]) -> T { items[below(items.count)] }

    /// Fisher-Yates.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }

    /// `count` distinct indices of 0..<population in the order drawn, like Python's `random.sample(range(n), k)`.
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        precondition(count >= 0 && count <= population, "cannot draw \(count) of \(population) without replacement")
        if count * 4 <= population {
            // Few of many: rejection against a set keeps memory at O(count).
            var seen = Set<Int>(minimumCapacity: count)
            var drawn: [Int] = []
            drawn.reserveCapacity(count)
            while drawn.count < count {
                let i = below(population)
                if seen.insert(i).inserted { drawn.append(i) }
            }
            return drawn
        }
        // Partial Fisher-Yates over the whole range.
        var pool = Array(0..<population)
        for i in 0..<count { pool.swapAt(i, i + below(population - i)) }
        return Array(pool[0..<count])
    }

    mutating func sample<T>(_ count: Int, of items: [T]) -> [T] {
        sample(count, from: items.count).map { items[$0] }
    }

    /// `count` characters drawn with replacement from `alphabet`, like `''.join(random.choices(alphabet, k=count))`.
    mutating func string(_ count: Int, from alphabet: [Character]) -> String {
        var out = ""
        for _ in 0..<count { out.append(alphabet[below(alphabet.count)]) }
        return out
    }

    /// RULER reshuffles some lists with a fresh `random.Random(random_seed)` every time, so lists of the same
    /// length get the same permutation in every sample (needle order, cwe/fwe word order, qa document order).
    /// We keep that behaviour: the permutation depends only on the task seed, the purpose and the length.
    static func fixedShuffle<T>(_ items: inout [T], seed: UInt64, purpose: String) {
        var random = RULERRandom(seed: seed, stream: "fixed-shuffle/\(purpose)")
        random.shuffle(&items)
    }
}
