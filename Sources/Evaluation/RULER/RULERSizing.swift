/// One generated prompt before it becomes an `EvalSample`.
struct RULERPrompt {
    /// The whole prompt: RULER's `input + answer_prefix` (the 'base' model template).
    var text: String
    /// The trailing answer prefix inside `text`, kept apart as RULER's `answer_prefix`.
    var answerPrefix: String
    var answers: [String]
    /// Needle depth in percent when exactly one needle holds the answer.
    var depth: Double? = nil
    /// Generator-specific facts for the sample's `fields` (e.g. "depths").
    var fields: [String: String] = [:]
}

/// A RULER generator: makes a prompt with `units` haystack units (noise lines, essay words, distinct words,
/// documents...), drawing from `random`. The same units, sample index and random state give the same prompt.
protocol RULERGenerator {
    /// What one unit is, for the samples' fields.
    var unitName: String { get }
    /// RULER's `incremental` for this generator and length: the probe size for the first estimate.
    var incremental: Int { get }
    /// The fewest units a prompt can have.
    var minimumUnits: Int { get }
    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt
}

/// RULER's sizing: the largest number of units such that prompt tokens + tokens to generate <= the length,
/// by binary search over a single probe sample, then used by every sample of that length.
struct RULERSizing {
    var units: Int
    /// Prompt + generation tokens of the probe at `units`.
    var probeTokens: Int
    /// Average tokens per unit over the searched range, to size the first step down for a sample that does not fit.
    var tokensPerUnit: Double

    static func search(length: Int, tokensToGenerate: Int, generator: some RULERGenerator,
                       tokenizer: any TokenCounting, probe: RULERRandom, task: String) throws -> RULERSizing {
        var cache: [Int: Int] = [:]
        func total(_ units: Int) throws -> Int {
            if let known = cache[units] { return known }
            var random = probe
            let prompt = try generator.make(units: units, sampleIndex: 0, random: &random)
            let tokens = tokenizer.tokenCount(prompt.text) + tokensToGenerate
            cache[units] = tokens
            return tokens
        }
        let minimum = max(1, generator.minimumUnits)
        let step = max(minimum, generator.incremental)
        // RULER estimates tokens per unit from one probe and searches up to three times the estimate.
        let floorTokens = try total(minimum)
        guard floorTokens <= length else {
            throw EvalTaskError("\(task): length \(length) is too short: \(minimum) \(generator.unitName) already take "
                + "\(floorTokens) tokens with the \(tokensToGenerate) to generate")
        }
        let perUnit = max(Double(try total(minimum + step) - floorTokens) / Double(step), 1e-3)
        var lower = minimum
        // Every unit costs at least about a token, so 4x the length bounds the search even if the estimate is off.
        var upper = min(max(Int(Double(length) / perUnit * 3), step * 2, minimum + 1), 4 * length + step + minimum)
        while try total(upper) <= length {  // the estimate was too low: keep doubling until it overflows
            lower = upper
            guard upper < 1 << 30 else { throw EvalTaskError("\(task): prompt never reaches \(length) tokens") }
            upper *= 2
        }
        // Invariant: total(lower) fits, total(upper) does not.
        while upper - lower > 1 {
            let mid = (lower + upper) / 2
            if try total(mid) <= length { lower = mid } else { upper = mid }
        }
        let found = try total(lower)
        // The average cost of a unit over the whole range sizes the first step down for a sample that overflows.
        let average = lower > minimum ? Double(found - floorTokens) / Double(lower - minimum) : perUnit
        return RULERSizing(units: lower, probeTokens: found, tokensPerUnit: max(average, 1e-3))
    }

    /// Builds sample `index` at the searched size. If its own draws make it longer than the length, it takes the
    /// largest size that fits for those draws (a step down by the average tokens per unit, then a binary search);
    /// RULER instead drops `incremental` units at a time.
    func makeSample(index: Int, length: Int, tokensToGenerate: Int, generator: some RULERGenerator,
                    tokenizer: any TokenCounting, random: RULERRandom, task: String)
        throws -> (prompt: RULERPrompt, units: Int, promptTokens: Int) {
        func attempt(_ units: Int) throws -> (prompt: RULERPrompt, units: Int, promptTokens: Int, over: Int) {
            var draw = random
            let prompt = try generator.make(units: units, sampleIndex: index, random: &draw)
            let promptTokens = tokenizer.tokenCount(prompt.text)
            return (prompt, units, promptTokens, promptTokens + tokensToGenerate - length)
        }
        let first = try attempt(units)
        if first.over <= 0 { return (first.prompt, first.units, first.promptTokens) }
        let minimum = max(1, generator.minimumUnits)
        // Step down (doubling the step) until a size fits, then close the gap to the smallest size that does not.
        var tooBig = units
        var drop = max(1, Int((Double(first.over) / tokensPerUnit).rounded(.up)))
        var fitting: (prompt: RULERPrompt, units: Int, promptTokens: Int, over: Int)
        while true {
            let guess = max(minimum, tooBig - drop)
            let tried = try attempt(guess)
            if tried.over <= 0 { fitting = tried; break }
            guard guess > minimum else {
                throw EvalTaskError("\(task): sample \(index) does not fit in \(length) tokens even with \(guess) "
                    + "\(generator.unitName) (\(tried.promptTokens) prompt tokens + \(tokensToGenerate))")
            }
            tooBig = guess
            drop *= 2
        }
        while tooBig - fitting.units > 1 {
            let tried = try attempt((fitting.units + tooBig) / 2)
            if tried.over <= 0 { fitting = tried } else { tooBig = tried.units }
        }
        return (fitting.prompt, fitting.units, fitting.promptTokens)
    }
}
