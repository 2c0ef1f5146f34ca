import Formats

/// How HELMET sizes a prompt: a fixed number of items (passages, key-value pairs) per length bucket, then, if the
/// prompt is still longer than the length minus the tokens to generate, the end of the context is cut off.
public enum HelmetSizing {
    /// Items per length in HELMET's `scripts/generate_configs.py` (4K, 8K, 16K, 32K, 64K, 128K).
    public static let jsonKVPairs: [Int: Int] = [4096: 50, 8192: 105, 16384: 220, 32768: 440, 65536: 900, 131072: 1800]
    public static let ragPassages: [Int: Int] = [4096: 20, 8192: 50, 16384: 105, 32768: 220, 65536: 440, 131072: 1000]
    public static let rerankPassages: [Int: Int] = [4096: 14, 8192: 50, 16384: 130, 32768: 285, 65536: 600, 131072: 1000]

    /// The table's count for `length`; between two lengths of the table, linear interpolation (rounded); outside
    /// it, proportional to the nearest end (HELMET's counts grow about linearly with the length). At least 1.
    public static func count(for length: Int, table: [Int: Int]) -> Int {
        if let exact = table[length] { return exact }
        let points = table.sorted { $0.key < $1.key }
        guard let first = points.first, let last = points.last else { return 1 }
        if length < first.key { return max(1, Int((Double(first.value) * Double(length) / Double(first.key)).rounded())) }
        if length > last.key { return max(1, Int((Double(last.value) * Double(length) / Double(last.key)).rounded())) }
        for (lo, hi) in zip(points, points.dropFirst()) where lo.key < length && length < hi.key {
            let t = Double(length - lo.key) / Double(hi.key - lo.key)
            return max(1, Int((Double(lo.value) + t * Double(hi.value - lo.value)).rounded()))
        }
        return last.value
    }

    /// A prompt that fits, with what was done to make it fit.
    public struct Fitted: Sendable {
        public var prompt: String
        public var promptTokens: Int
        /// Context tokens cut from the end (0 when it fitted as it was).
        public var truncatedTokens: Int
    }

    /// HELMET's `tokenize` truncation: while `render(context)` is longer than `budget` tokens, drop the context's
    /// last tokens (as many as the prompt is too long) and render again. Throws when even an empty context is too
    /// long.
    static func truncatingContext(_ context: String, budget: Int, tokenizer: any TokenCounting, what: String,
                                  render: (String) -> String) throws -> Fitted {
        var prompt = render(context)
        var tokens = tokenizer.tokenCount(prompt)
        guard tokens > budget else { return Fitted(prompt: prompt, promptTokens: tokens, truncatedTokens: 0) }
        let contextTokens = tokenizer.encode(context)
        var keep = contextTokens.count
        while tokens > budget {
            guard keep > 0 else {
                throw EvalTaskError("\(what): the prompt without any context is \(tokens) tokens, over the budget of \(budget)")
            }
            keep = max(0, keep - (tokens - budget))
            prompt = render(decodePrefix(contextTokens, keep, tokenizer))
            tokens = tokenizer.tokenCount(prompt)
        }
        return Fitted(prompt: prompt, promptTokens: tokens, truncatedTokens: contextTokens.count - keep)
    }

    /// The text of the first `count` tokens, without a trailing replacement character left by a multi-byte
    /// character cut in the middle.
    static func decodePrefix(_ tokens: [Int32], _ count: Int, _ tokenizer: any TokenCounting) -> String {
        var text = tokenizer.decode(Array(tokens.prefix(count)))
        while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() }
        return text
    }

    /// The most items (a prefix of them) whose prompt fits `budget`. Each item's own token count gives a first
    /// guess; whole-prompt counts then narrow it down (a few encodes: the guesses are scaled by how far the sum of
    /// the items' counts was from the prompt's). Throws when not even `minimum` items fit.
    static func fittingPrefix(itemTokens: [Int], budget: Int, minimum: Int = 0, tokenizer: any TokenCounting,
                              what: String, render: (Int) -> String) throws -> (count: Int, prompt: String, tokens: Int) {
        let fixed = tokenizer.tokenCount(render(0))
        var prefixSums = [0]
        for t in itemTokens { prefixSums.append(prefixSums.last! + max(t, 0)) }
        // Largest n whose estimated tokens fit, with the items' counts scaled by `ratio`.
        func guess(_ ratio: Double) -> Int {
            var lo = 0, hi = itemTokens.count
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if Double(fixed) + Double(prefixSums[mid]) * ratio <= Double(budget) { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
        guard fixed <= budget else {
            throw EvalTaskError("\(what): the prompt without items is \(fixed) tokens, over the budget of \(budget)")
        }
        var best = (count: 0, prompt: render(0), tokens: fixed)
        // `lo` items are known to fit, `hi` known not to; probe between them until they meet.
        var lo = 0, hi = itemTokens.count + 1
        var ratio = 1.0, probes = 0
        while hi - lo > 1 {
            var n = guess(ratio)
            if probes >= 4 { n = (lo + hi) / 2 } else { n = min(max(n, lo + 1), hi - 1) }
            let prompt = render(n)
            let tokens = tokenizer.tokenCount(prompt)
            probes += 1
            if prefixSums[n] > 0 { ratio = max(Double(tokens - fixed), 1) / Double(prefixSums[n]) }
            if tokens <= budget {
                lo = n
                best = (n, prompt, tokens)
            } else {
                hi = n
            }
        }
        guard best.count >= minimum else {
            throw EvalTaskError("\(what): \(minimum) item(s) do not fit the budget of \(budget) tokens")
        }
        return best
    }

    /// `a < b` as Python compares strings: by code point.
    static func pythonLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// HELMET's per-question demo seed: `int(sha256(key).hexdigest(), 16) % 2**31` (plus `offset`, mod 2^31).
    static func hashSeed(_ key: String, offset: UInt64 = 0) -> UInt64 {
        let digest = SHA256.digest(Array(key.utf8))
        var low: UInt64 = 0
        for b in digest.suffix(4) { low = low << 8 | UInt64(b) }
        return ((low & 0x7FFF_FFFF) + offset % (1 << 31)) % (1 << 31)
    }
}
