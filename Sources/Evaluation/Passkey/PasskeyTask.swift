/// Passkey retrieval as YaRN's `eval/passkey.py` runs it (from landmark-attention's `run_test.py`): a task line,
/// garbage sentences, the pass key line somewhere inside them, more garbage, and the question; the score is 1 when
/// the first number of the output is the key.
public struct PasskeyTask: EvalTask {
    static let taskDescription = "There is an important info hidden inside a lot of irrelevant text. Find it and memorize them. I will quiz you about the important information there."
    static let garbage = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
    static let finalQuestion = "What is the pass key? The pass key is"

    public var name: String { "passkey" }
    public var lengths: [Int]
    /// Prompts per length (their `--iterations`, 20).
    public var samplesPerLength: Int
    /// Where the key goes, in percent of the garbage; nil: a random split per sample, as they do.
    public var depths: [Double]?
    /// Keys are drawn uniformly from this range (theirs: `random.randint(1, 50000)`).
    public var keyRange: ClosedRange<Int>
    /// Their pipeline generates 10 tokens.
    public var maxNewTokens: Int
    public var seed: UInt64

    public init(lengths: [Int], samplesPerLength: Int = 20, depths: [Double]? = nil, keyRange: ClosedRange<Int> = 1...50000,
                maxNewTokens: Int = 10, seed: UInt64 = 42) {
        self.lengths = lengths
        self.samplesPerLength = samplesPerLength
        self.depths = depths
        self.keyRange = keyRange
        self.maxNewTokens = maxNewTokens
        self.seed = seed
    }

    /// `generate_prompt` with the split and key already chosen: the garbage is `" ".join([garbage] * ...)` cut to
    /// `prefix` and to `suffix` characters, both from its start.
    static func prompt(prefixChars: Int, suffixChars: Int, key: Int) -> String {
        let information = "The pass key is \(key). Remember it. \(key) is the pass key."
        return [taskDescription, garbageText(prefixChars), information, garbageText(suffixChars), finalQuestion]
            .joined(separator: "\n")
    }

    static func garbageText(_ characters: Int) -> String {
        // The garbage is ASCII, so characters are bytes.
        let unit = garbage + " "
        let copies = characters / unit.utf8.count + 1
        return String(String(repeating: unit, count: copies).utf8.prefix(characters))!
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        if let depths { for d in depths where !(0...100).contains(d) { throw EvalTaskError("passkey: depth \(d) is outside 0...100") } }
        guard keyRange.lowerBound >= 0 else { throw EvalTaskError("passkey: keys must not be negative") }
        var samples: [EvalSample] = []
        for length in lengths {
            let budget = length - maxNewTokens
            let garbageChars = try largestGarbage(budget: budget, tokenizer: tokenizer)
            // One generator per length: adding a length does not change the others' samples.
            var random = PythonRandom(seed: seed &* 1_000_003 &+ UInt64(length))
            for index in 0..<samplesPerLength {
                let depth = depths.map { $0[index % $0.count] }
                // Their order of draws: the split (`randint(0, n_garbage)`), then the key.
                let randomPrefix = random.randint(0, garbageChars)
                let key = random.randint(keyRange.lowerBound, keyRange.upperBound)
                var n = garbageChars
                var text: String, tokens: Int, prefix: Int
                repeat {
                    prefix = depth.map { Int((Double(n) * $0 / 100).rounded()) }
                        ?? (garbageChars > 0 ? randomPrefix * n / garbageChars : 0)
                    text = Self.prompt(prefixChars: prefix, suffixChars: n - prefix, key: key)
                    tokens = tokenizer.tokenCount(text)
                    if tokens > budget { n = max(0, n - max(1, (tokens - budget) * 2)) }
                } while tokens > budget && n > 0
                guard tokens <= budget else { throw EvalTaskError("passkey: length \(length) is too short for the prompt") }
                let actualDepth = n > 0 ? 100 * Double(prefix) / Double(n) : 0
                samples.append(EvalSample(
                    id: "passkey/len=\(length)/\(index)", task: name, prompt: text, references: [String(key)],
                    maxNewTokens: maxNewTokens, contextLength: length, depth: depth ?? actualDepth,
                    fields: ["metric": "first_number", "garbage_chars": String(n), "prompt_tokens": String(tokens)]))
            }
        }
        return samples
    }

    /// The most garbage characters whose prompt (key of the widest width, split in the middle) fits `budget`.
    private func largestGarbage(budget: Int, tokenizer: any TokenCounting) throws -> Int {
        let widest = keyRange.upperBound
        func fits(_ n: Int) -> Bool { tokenizer.tokenCount(Self.prompt(prefixChars: n / 2, suffixChars: n - n / 2, key: widest)) <= budget }
        guard fits(0) else { throw EvalTaskError("passkey: a length of \(budget + maxNewTokens) leaves no room for garbage") }
        var lo = 0, hi = 64
        while fits(hi) { lo = hi; hi *= 2 }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if fits(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// 1 when the first run of digits in the output is the key (their `re.search(r'\d+', response)` read with
    /// `int()`, which accepts any script's decimal digits), else 0.
    public func score(output: String, sample: EvalSample) -> EvalScores {
        guard let key = sample.references.first.flatMap({ Int($0) }) else { return ["score": 0] }
        var value: Int?
        for s in output.unicodeScalars {
            if PythonText.isDecimalDigit(s), let digit = s.properties.numericValue {
                let (shifted, overflow1) = (value ?? 0).multipliedReportingOverflow(by: 10)
                let (next, overflow2) = shifted.addingReportingOverflow(Int(digit))
                // A number too large for Int is not the key.
                value = overflow1 || overflow2 ? Int.max : next
            } else if value != nil {
                break
            }
        }
        return ["score": value == key ? 1 : 0]
    }
}
