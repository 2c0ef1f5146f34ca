/// Variable tracking (scripts/data/synthetic/variable_tracking.py): chains "VAR AAAAA = 12345", "VAR BBBBB = VAR
/// AAAAA ", ... hidden in noise lines (or essay sentences); the answer is every variable of the first chain. RULER
/// puts one worked example of about 500 tokens (three-letter names) before the question, with fresh names and
/// value in every sample.
struct RULERVariableTrackingGenerator: RULERGenerator {
    let parameters: RULERTask.VariableTrackingParameters
    let essay: RULEREssayHaystack?
    let length: Int
    let seed: UInt64
    /// Builds the worked example itself (three-letter names, no example before it).
    var isExample = false
    /// Units of the worked example placed before the question; nil for none.
    var exampleUnits: Int? = nil

    var unitName: String { parameters.haystack == .essay ? "essay words" : "noise lines" }

    /// RULER: 50 essay words or 5 lines for the example; 500 words or 10 lines (5 below 4096) for the question.
    var incremental: Int {
        if isExample { return parameters.haystack == .essay ? 50 : 5 }
        if parameters.haystack == .essay { return 500 }
        return length < 4096 ? 5 : 10
    }

    /// Noise lines: every chain needs as many lines as it has links to draw positions among.
    var minimumUnits: Int { parameters.haystack == .essay ? 1 : parameters.numHops + 1 }

    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
        var text = ""
        if let exampleUnits {
            // The example keeps its layout across samples (RULER builds it once, then renames it).
            var layout = RULERRandom(seed: seed, stream: "vt-example/\(length)")
            let example = Self.chains(count: parameters.numChains, hops: parameters.numHops, nameLength: 3, random: &random)
            let body = try question(units: exampleUnits, chains: example.chains, value: example.value, random: &layout)
            text += body + " " + example.names[0].joined(separator: " ") + "\n" + "\n"
        }
        let main = Self.chains(count: parameters.numChains, hops: parameters.numHops,
                               nameLength: isExample ? 3 : 5, random: &random)
        text += try question(units: units, chains: main.chains, value: main.value, random: &random)
        return RULERPrompt(
            text: text,
            answerPrefix: RULERTemplates.answerPrefix(of: text, rawPrefix: RULERTemplates.variableTrackingAnswerPrefix),
            answers: main.names[0],
            fields: ["value": main.value])
    }

    /// The template filled with a haystack holding `chains`, answer prefix included.
    private func question(units: Int, chains: [[String]], value: String, random: inout RULERRandom) throws -> String {
        var context: String
        switch parameters.haystack {
        case .essay:
            guard let essay else { throw EvalTaskError("vt: the essay haystack needs a text") }
            let links = Self.interleave(chains, random: &random).map { $0.trimmingSpaces() + "." }
            context = RULEREssayHaystack.insert(links, into: essay.sentences(units: units), random: &random).text
        case .noise, .needle:
            var lines = Array(repeating: RULERTemplates.noiseHaystack, count: units)
            for chain in chains {
                let positions = random.sample(chain.count, from: lines.count).sorted()
                for (j, position) in positions.enumerated() { lines.insert(chain[j], at: position + j) }
            }
            context = lines.joined(separator: "\n")
        }
        context = context.replacing(". \n", with: ".\n")
        return RULERTemplates.format(
            RULERTemplates.variableTracking + RULERTemplates.variableTrackingAnswerPrefix,
            ["context": context, "query": value, "num_v": String(parameters.numHops + 1)])
    }

    /// `generate_chains`: distinct uppercase names, each chain "VAR A = value" then "VAR B = VAR A " per hop.
    /// Values are 5-digit (numpy randint(10000, 99999)) and distinct across chains so the question has one answer.
    static func chains(count: Int, hops: Int, nameLength: Int, random: inout RULERRandom)
        -> (names: [[String]], chains: [[String]], value: String) {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var used = Set<String>(), names: [[String]] = [], chains: [[String]] = [], values: [String] = []
        for _ in 0..<count {
            var these: [String] = []
            while these.count < hops + 1 {
                let name = random.string(nameLength, from: letters)
                if used.insert(name).inserted { these.append(name) }
            }
            var value = String(random.int(in: 10000...99998))
            while values.contains(value) { value = String(random.int(in: 10000...99998)) }
            values.append(value)
            var chain = ["VAR \(these[0]) = \(value)"]
            for j in 0..<hops { chain.append("VAR \(these[j + 1]) = VAR \(these[j]) ") }
            names.append(these)
            chains.append(chain)
        }
        return (names, chains, values[0])
    }

    /// All links of all chains in one random order that keeps each chain's own order (RULER's
    /// `shuffle_sublists_heap`).
    static func interleave(_ chains: [[String]], random: inout RULERRandom) -> [String] {
        var next = Array(repeating: 0, count: chains.count)
        var out: [String] = []
        while true {
            let open = chains.indices.filter { next[$0] < chains[$0].count }
            guard !open.isEmpty else { return out }
            let c = open[random.below(open.count)]
            out.append(chains[c][next[c]])
            next[c] += 1
        }
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var s = self[...]
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
