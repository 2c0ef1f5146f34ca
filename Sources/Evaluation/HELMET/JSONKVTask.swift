/// HELMET's JSON KV recall task, generated here as its data was: a JSON object of random UUID keys and values
/// (lost-in-the-middle's `make_kv_retrieval_data.py` and `get_kv_retrieval_prompt` layout), one gold key asked
/// for, two demonstration pairs, HELMET's `load_json_kv` prompt, SubEM of the value.
public struct JSONKVTask: EvalTask {
    static let userInstruction = "Extract the value corresponding to the specified key in the JSON object below."
    static let systemTemplate = "Corresponding value:"

    public var name: String { "helmet/json_kv" }
    public var lengths: [Int]
    public var samplesPerLength: Int
    /// Demonstration pairs before the question (HELMET's recall config: 2).
    public var shots: Int
    /// HELMET's recall config generates 100 tokens.
    public var maxNewTokens: Int
    /// Gold key depths in percent, cycled over the samples; nil: a uniformly random gold record, as
    /// lost-in-the-middle's generator picks it.
    public var depths: [Double]?
    /// Pairs per length instead of HELMET's table (105/220/440/900/1800 at 8K...128K, interpolated between).
    public var pairsPerLength: [Int: Int]?
    /// As many pairs as fill the length with this tokenizer, instead of HELMET's count (which filled it with the
    /// Llama-2 tokenizer, and may fall short with another).
    public var fillLength: Bool
    public var seed: UInt64

    public init(lengths: [Int], samplesPerLength: Int = 100, shots: Int = 2, maxNewTokens: Int = 100,
                depths: [Double]? = nil, pairsPerLength: [Int: Int]? = nil, fillLength: Bool = false, seed: UInt64 = 42) {
        self.lengths = lengths
        self.samplesPerLength = samplesPerLength
        self.shots = shots
        self.maxNewTokens = maxNewTokens
        self.depths = depths
        self.pairsPerLength = pairsPerLength
        self.fillLength = fillLength
        self.seed = seed
    }

    /// The pair count HELMET would use for `length` (its table, interpolated) unless overridden.
    public func pairs(for length: Int) -> Int {
        pairsPerLength?[length] ?? HelmetSizing.count(for: length, table: HelmetSizing.jsonKVPairs)
    }

    /// lost-in-the-middle's record layout: `{"k": "v",\n "k": "v",\n ... "k": "v"}` after "JSON data:".
    static func context(_ records: ArraySlice<(String, String)>) -> String {
        var out = "JSON data:\n"
        for (i, record) in records.enumerated() {
            out += i == 0 ? "{" : " "
            out += "\"\(record.0)\": \"\(record.1)\""
            out += i == records.count - 1 ? "}" : ",\n"
        }
        return out
    }

    /// HELMET's `prompt_template` for json_kv: context first, then the instruction, demos and the key.
    static func prompt(context: String, demos: [(String, String)], key: String) -> String {
        var demoText = demos.map { "Key: \"\($0.0)\"\nCorresponding value: \($0.1)" }.joined(separator: "\n\n")
        if !demos.isEmpty { demoText += "\n\n" }
        return "\(context)\n\n\(userInstruction)\n\n\(demoText)Key: \"\(key)\"\n\(systemTemplate)"
    }

    /// `str(uuid.uuid4())` from the generator's bits.
    static func uuid4(_ random: inout PythonRandom) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let word = random.getrandbits(64)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        if let depths { for d in depths where !(0...100).contains(d) { throw EvalTaskError("json_kv: depth \(d) is outside 0...100") } }
        var samples: [EvalSample] = []
        // A typical pair's tokens, to know how many pairs could fill a length.
        var probe = PythonRandom(seed: seed)
        let pairTokens = max(1, tokenizer.tokenCount(" \"\(Self.uuid4(&probe))\": \"\(Self.uuid4(&probe))\",\n"))
        for length in lengths {
            let wanted = fillLength ? Int(Double(length) / Double(pairTokens) * 1.2) + 2 : pairs(for: length)
            guard wanted >= 2 else { throw EvalTaskError("json_kv: \(wanted) pair(s) at length \(length); at least 2 are needed") }
            var random = PythonRandom(seed: seed &* 1_000_003 &+ UInt64(length))
            for index in 0..<samplesPerLength {
                var seen = Set<String>()
                var records: [(String, String)] = []
                while records.count < wanted {
                    let key = Self.uuid4(&random)
                    if seen.insert(key).inserted { records.append((key, Self.uuid4(&random))) }
                }
                var demos: [(String, String)] = []
                while demos.count < shots {
                    let key = Self.uuid4(&random)
                    if !seen.contains(key) { demos.append((key, Self.uuid4(&random))) }
                }
                let goldFraction = depths.map { $0[index % $0.count] / 100 } ?? random.random()
                samples.append(try sample(length: length, index: index, records: records, demos: demos,
                                          goldFraction: goldFraction, depthGiven: depths != nil, tokenizer: tokenizer))
            }
        }
        return samples
    }

    /// Fits the pairs to the length: HELMET would cut the end of the JSON; dropping whole pairs instead keeps the
    /// object well formed and the gold pair in it. The gold pair sits at `goldFraction` of whatever is kept.
    private func sample(length: Int, index: Int, records: [(String, String)], demos: [(String, String)],
                        goldFraction: Double, depthGiven: Bool, tokenizer: any TokenCounting) throws -> EvalSample {
        let budget = length - maxNewTokens
        let gold = records[0]
        let others = Array(records.dropFirst())
        func arranged(_ count: Int) -> [(String, String)] {
            var kept = Array(others.prefix(max(count - 1, 0)))
            let position = Int((goldFraction * Double(kept.count)).rounded(.down))
            kept.insert(gold, at: min(position, kept.count))
            return kept
        }
        let pairTokens = records.map { tokenizer.tokenCount(" \"\($0.0)\": \"\($0.1)\",\n") }
        let fitted = try HelmetSizing.fittingPrefix(
            itemTokens: pairTokens, budget: budget, minimum: 2, tokenizer: tokenizer, what: "json_kv at length \(length)"
        ) { n in
            Self.prompt(context: Self.context(arranged(max(n, 1))[...]), demos: demos, key: gold.0)
        }
        let kept = arranged(fitted.count)
        let goldIndex = kept.firstIndex { $0.0 == gold.0 }!
        let depth = kept.count > 1 ? 100 * Double(goldIndex) / Double(kept.count - 1) : 0
        return EvalSample(
            id: "helmet/json_kv/len=\(length)/\(index)", task: name, prompt: fitted.prompt, references: [gold.1],
            maxNewTokens: maxNewTokens, contextLength: length, depth: depthGiven ? goldFraction * 100 : depth,
            fields: [
                "metric": "substring_exact_match", "num_kvs": String(kept.count), "helmet_num_kvs": String(records.count),
                "gold_index": String(goldIndex), "prompt_tokens": String(fitted.tokens),
            ])
    }

    /// HELMET's json_kv `post_process`: the system prompt is put back in front of the output (completion mode),
    /// metrics on it and on `parse_output(..., "corresponding value:")`, the larger of each kept.
    public func score(output: String, sample: EvalSample) -> EvalScores {
        HelmetScoring.bestOfRawAndParsed(output: Self.systemTemplate + output, prefix: "corresponding value:",
                                         answers: sample.references, main: "substring_exact_match")
    }
}

/// Shared HELMET post-processing.
enum HelmetScoring {
    /// `calculate_metrics` on the output and on its parsed answer, the max of each metric; `score` is `main`.
    static func bestOfRawAndParsed(output: String, prefix: String, answers: [String], main: String) -> EvalScores {
        let raw = AnswerMetrics.answerScores(prediction: output, answers: answers)
        let parsed = AnswerMetrics.answerScores(prediction: HelmetParsing.parseOutput(output, prefix: prefix), answers: answers)
        var scores = raw.merging(parsed) { max($0, $1) }
        scores["score"] = scores[main] ?? 0
        return scores
    }
}
