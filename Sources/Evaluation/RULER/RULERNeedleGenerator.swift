/// The eight niah tasks (scripts/data/synthetic/niah.py): needles "One of the special magic {numbers} for {key} is:
/// {value}." hidden in noise lines, essay sentences or distractor needles; the question asks for the values of
/// one or more keys.
struct RULERNeedleGenerator: RULERGenerator {
    let parameters: RULERTask.NIAHParameters
    let essay: RULEREssayHaystack?
    let length: Int
    let seed: UInt64

    var unitName: String {
        switch parameters.haystack {
        case .noise: return "noise lines"
        case .essay: return "essay words"
        case .needle: return "distractor needles"
        }
    }

    /// RULER: 500 essay words, else 25 lines (5 below 4096 tokens).
    var incremental: Int {
        if parameters.haystack == .essay { return 500 }
        return length < 4096 ? 5 : 25
    }

    var minimumUnits: Int { 1 }

    private var numKeys: Int { max(parameters.numKeys, parameters.numQueries) }

    func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
        let p = parameters
        // Keys and their values. Keys are kept distinct (RULER relies on chance).
        var keys: [String] = [], values: [[String]] = [], needles: [String] = []
        var needleOwner: [(key: Int, value: Int)] = []
        for k in 0..<numKeys {
            var key = Self.draw(p.keyType, &random)
            while keys.contains(key) { key = Self.draw(p.keyType, &random) }
            keys.append(key)
            var these: [String] = []
            for _ in 0..<p.numValues {
                var value = Self.draw(p.valueType, &random)
                while these.contains(value) { value = Self.draw(p.valueType, &random) }
                these.append(value)
                needles.append(Self.needle(type: p.valueType, key: key, value: value))
                needleOwner.append((k, these.count - 1))
            }
            values.append(these)
        }
        // RULER shuffles the needles with a fresh Random(seed): the same order for every sample.
        var order = Array(needles.indices)
        RULERRandom.fixedShuffle(&order, seed: seed, purpose: "niah-needles")
        needles = order.map { needles[$0] }
        needleOwner = order.map { needleOwner[$0] }

        // Context, and each needle's depth in percent.
        let context: String
        var needleDepths: [Double]
        switch p.haystack {
        case .essay:
            guard let essay else { throw EvalTaskError("niah: the essay haystack needs a text") }
            let placed = RULEREssayHaystack.insert(needles, into: essay.sentences(units: units), random: &random)
            context = placed.text
            needleDepths = placed.depths.map(Double.init)
        case .noise, .needle:
            var lines: [String]
            if p.haystack == .noise {
                lines = Array(repeating: RULERTemplates.noiseHaystack, count: units)
            } else {
                lines = []
                lines.reserveCapacity(units + needles.count)
                for _ in 0..<units {
                    // Distractor keys never repeat a real key, so the question keeps one answer.
                    var key = Self.draw(p.keyType, &random)
                    while keys.contains(key) { key = Self.draw(p.keyType, &random) }
                    lines.append(Self.needle(type: p.valueType, key: key, value: Self.draw(p.valueType, &random)))
                }
            }
            // Positions drawn among the units and sorted from the last down; needle i goes in before the unit at
            // the i-th of them (niah.py), so the first needle ends up deepest.
            let positions = random.sample(needles.count, from: units).sorted(by: >)
            needleDepths = []
            for (position, needle) in zip(positions, needles) {
                lines.insert(needle, at: position)
                needleDepths.append(100 * Double(position) / Double(units))
            }
            context = lines.joined(separator: "\n")
        }

        // Question: which keys, in drawn order, and all their values.
        let asked = random.sample(p.numQueries, from: numKeys)
        let queries = asked.map { keys[$0] }
        let answers = asked.flatMap { values[$0] }
        let query = queries.count > 1
            ? queries.dropLast().joined(separator: ", ") + ", and " + queries.last!
            : queries[0]

        var template = RULERTemplates.niah + RULERTemplates.niahAnswerPrefix
        var typeName = p.valueType.rawValue
        if p.numQueries * p.numValues == 1 {
            template = Self.singular(template)
            typeName.removeLast()  // "numbers" -> "number"
        }
        let text = RULERTemplates.format(template, ["type_needle_v": typeName, "context": context, "query": query])

        // Depths in the order of the answers.
        let depthList = asked.flatMap { k in
            (0..<p.numValues).map { v in needleDepths[needleOwner.firstIndex { $0.key == k && $0.value == v }!] }
        }
        var fields = ["depths": depthList.map { String($0) }.joined(separator: ",")]
        fields["keys"] = queries.joined(separator: "\n")
        return RULERPrompt(text: text,
                           answerPrefix: RULERTemplates.answerPrefix(of: text, rawPrefix: RULERTemplates.niahAnswerPrefix),
                           answers: answers,
                           depth: depthList.count == 1 ? depthList[0] : nil,
                           fields: fields)
    }

    /// niah.py's wording for one value: the same string replacements on the template before it is filled.
    static func singular(_ template: String) -> String {
        template.replacing("Some", with: "A")
            .replacing("are all", with: "is")
            .replacing("are", with: "is")
            .replacing("answers", with: "answer")
    }

    static func needle(type: RULERTask.NeedleType, key: String, value: String) -> String {
        RULERTemplates.format(RULERTemplates.niahNeedle, ["type_needle_v": type.rawValue, "key": key, "value": value])
    }

    static func draw(_ type: RULERTask.NeedleType, _ random: inout RULERRandom) -> String {
        switch type {
        case .numbers:
            return String(random.int(in: 1_000_000...9_999_999))
        case .words:
            return random.element(of: RULERWordList.adjectives) + "-" + random.element(of: RULERWordList.nouns)
        case .uuids:
            return uuid4(&random)
        }
    }

    /// `uuid.UUID(int=random.getrandbits(128), version=4)`: 128 random bits with the version and variant set.
    static func uuid4(_ random: inout RULERRandom) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let word = random.next()
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
        let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
        return groups.joined(separator: "-")
    }
}
