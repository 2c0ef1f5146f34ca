import Foundation
import XCTest
@testable import Evaluation

/// Prompts against RULER's own templates (Tests/Fixtures/ruler/tasks.json, dumped from RULER's constants.py and
/// synthetic.yaml), and the answers against the haystack they hide in.
final class RULERPromptTests: XCTestCase {
    private let tokenizer = RULERWhitespaceTokenizer()

    /// RULER's template + answer prefix for a task, cut around "{context}".
    private func rulerHeadTail(_ kind: RULERTask.Kind) throws -> (head: String, tail: String, prefix: String) {
        let task = try RULERFixtures.rulerTask(kind)
        let template = try XCTUnwrap(task["template"]?.string)
        let prefix = try XCTUnwrap(task["answer_prefix"]?.string)
        let parts = (template + prefix).components(separatedBy: "{context}")
        XCTAssertEqual(parts.count, 2)
        return (parts[0], parts[1], prefix)
    }

    /// The context between the last `head` and the final `tail`.
    private func context(of prompt: String, head: String, tail: String, file: StaticString = #filePath,
                         line: UInt = #line) throws -> String {
        XCTAssertTrue(prompt.hasSuffix(tail), "prompt does not end with RULER's tail \(tail.debugDescription)", file: file, line: line)
        let start = try XCTUnwrap(prompt.range(of: head, options: .backwards), "no RULER head in prompt", file: file, line: line)
        let end = prompt.index(prompt.endIndex, offsetBy: -tail.count)
        return String(prompt[start.upperBound..<end])
    }

    func testTemplateStringsAreRULERs() throws {
        let niah = try RULERFixtures.rulerTask(.niahSingle1)
        XCTAssertEqual(RULERTemplates.niah, niah["template"]?.string)
        XCTAssertEqual(RULERTemplates.niahAnswerPrefix, niah["answer_prefix"]?.string)
        let vt = try RULERFixtures.rulerTask(.vt)
        XCTAssertEqual(RULERTemplates.variableTracking, vt["template"]?.string)
        XCTAssertEqual(RULERTemplates.variableTrackingAnswerPrefix, vt["answer_prefix"]?.string)
        let cwe = try RULERFixtures.rulerTask(.cwe)
        XCTAssertEqual(RULERTemplates.commonWords.rulerFilled(["num_cw": "10"]), cwe["template"]?.string)
        XCTAssertEqual(RULERTemplates.commonWordsAnswerPrefix.rulerFilled(["num_cw": "10"]), cwe["answer_prefix"]?.string)
        let fwe = try RULERFixtures.rulerTask(.fwe)
        XCTAssertEqual(RULERTemplates.frequentWords, fwe["template"]?.string)
        XCTAssertEqual(RULERTemplates.frequentWordsAnswerPrefix, fwe["answer_prefix"]?.string)
        let qa = try RULERFixtures.rulerTask(.qa1)
        XCTAssertEqual(RULERTemplates.qa, qa["template"]?.string)
        XCTAssertEqual(RULERTemplates.qaAnswerPrefix, qa["answer_prefix"]?.string)
    }

    func testStandardConfigurationsAreSyntheticYaml() throws {
        for kind in RULERTask.Kind.allCases {
            let ruler = try RULERFixtures.rulerTask(kind)
            let args = try XCTUnwrap(ruler["args"])
            let config = RULERTask.Configuration.standard(kind)
            XCTAssertEqual(config.tokensToGenerate, ruler["tokens_to_generate"]?.int, kind.rawValue)
            switch config.parameters {
            case .niah(let p):
                XCTAssertEqual(ruler["task"]?.string, "niah")
                XCTAssertEqual(p.haystack.rawValue, args["type_haystack"]?.string, kind.rawValue)
                XCTAssertEqual(p.keyType.rawValue, args["type_needle_k"]?.string, kind.rawValue)
                XCTAssertEqual(p.valueType.rawValue, args["type_needle_v"]?.string, kind.rawValue)
                XCTAssertEqual(p.numKeys, args["num_needle_k"]?.int, kind.rawValue)
                XCTAssertEqual(p.numValues, args["num_needle_v"]?.int, kind.rawValue)
                XCTAssertEqual(p.numQueries, args["num_needle_q"]?.int, kind.rawValue)
            case .variableTracking(let p):
                XCTAssertEqual(ruler["task"]?.string, "variable_tracking")
                XCTAssertEqual(p.haystack.rawValue, args["type_haystack"]?.string)
                XCTAssertEqual(p.numChains, args["num_chains"]?.int)
                XCTAssertEqual(p.numHops, args["num_hops"]?.int)
            case .commonWords(let p):
                XCTAssertEqual(ruler["task"]?.string, "common_words_extraction")
                XCTAssertEqual(p.freqCommon, args["freq_cw"]?.int)
                XCTAssertEqual(p.freqUncommon, args["freq_ucw"]?.int)
                XCTAssertEqual(p.numCommon, args["num_cw"]?.int)
            case .frequentWords(let p):
                XCTAssertEqual(ruler["task"]?.string, "freq_words_extraction")
                XCTAssertEqual(p.alpha, args["alpha"]?.number)
                XCTAssertEqual(p.codedWordLength, 6)  // freq_words_extraction.py's default
                XCTAssertNil(p.vocabularySize)
            case .qa(let p):
                XCTAssertEqual(ruler["task"]?.string, "qa")
                XCTAssertEqual(p.dataset.rawValue, args["dataset"]?.string)
            }
        }
        XCTAssertEqual(RULERTask.Kind.allCases.map(\.rawValue).sorted(),
                       try XCTUnwrap(RULERFixtures.json("tasks.json")["tasks"]?.object).map(\.key).sorted())
    }

    // MARK: - niah

    func testNIAHPromptsAndNeedles() throws {
        let niahKinds: [RULERTask.Kind] = [.niahSingle1, .niahSingle2, .niahSingle3, .niahMultikey1, .niahMultikey2,
                                           .niahMultikey3, .niahMultivalue, .niahMultiquery]
        let essayWords = try RULERFixtures.essay.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        for kind in niahKinds {
            guard case .niah(let p) = RULERTask.Configuration.standard(kind).parameters else { return XCTFail() }
            let samples = try RULERFixtures.task(kind, lengths: [1200, 4096], samples: 3).makeSamples(tokenizer: tokenizer)
            XCTAssertEqual(samples.count, 6)
            for sample in samples {
                let what = sample.id
                let singular = p.numQueries * p.numValues == 1
                var (head, tail, prefix) = try rulerHeadTail(kind)
                // niah.py's rewording for a single value, applied to RULER's text here.
                func reword(_ s: String) -> String {
                    s.replacingOccurrences(of: "Some", with: "A").replacingOccurrences(of: "are all", with: "is")
                        .replacingOccurrences(of: "are", with: "is").replacingOccurrences(of: "answers", with: "answer")
                }
                if singular { head = reword(head); tail = reword(tail); prefix = reword(prefix) }
                let type = singular ? String(p.valueType.rawValue.dropLast()) : p.valueType.rawValue
                let keys = try XCTUnwrap(sample.fields["keys"]).components(separatedBy: "\n")
                XCTAssertEqual(keys.count, p.numQueries, what)
                XCTAssertEqual(Set(keys).count, keys.count, what)
                let query = keys.count > 1 ? keys.dropLast().joined(separator: ", ") + ", and " + keys.last! : keys[0]
                head = head.rulerFilled(["type_needle_v": type])
                tail = tail.rulerFilled(["type_needle_v": type, "query": query])
                XCTAssertTrue(sample.prompt.hasPrefix(head), what)
                XCTAssertEqual(sample.fields["answer_prefix"], prefix.rulerFilled(["type_needle_v": type, "query": query]), what)
                let context = try context(of: sample.prompt, head: head, tail: tail)

                // Every answer's needle is in the context once, under its key; values look right for their type.
                XCTAssertEqual(sample.references.count, p.numQueries * p.numValues, what)
                var needles: [String] = []
                for (j, value) in sample.references.enumerated() {
                    let key = keys[j / p.numValues]
                    let needle = "One of the special magic \(p.valueType.rawValue) for \(key) is: \(value)."
                    XCTAssertEqual(context.rulerCount(of: needle), 1, "\(what): \(needle)")
                    needles.append(needle)
                    switch p.valueType {
                    case .numbers: XCTAssertNotNil(value.wholeMatch(of: /[1-9][0-9]{6}/), value)
                    case .uuids: XCTAssertNotNil(value.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/), value)
                    case .words: XCTAssertNotNil(value.wholeMatch(of: /[a-z]+-[a-z]+/), value)
                    }
                }
                for key in keys { XCTAssertEqual(context.rulerCount(of: " for \(key) is: "), p.numValues, "\(what): key \(key)") }
                let units = try XCTUnwrap(Int(sample.fields["haystack_units"] ?? ""))
                let needleCount = max(p.numKeys, p.numQueries) * p.numValues
                // Depths come in the order of the answers; the single-answer depth is the sample's.
                let depths = try XCTUnwrap(sample.fields["depths"]).split(separator: ",").map { Double($0)! }
                XCTAssertEqual(depths.count, sample.references.count, what)
                XCTAssertEqual(sample.depth, depths.count == 1 ? depths[0] : nil, what)
                let lines = context.components(separatedBy: "\n")
                switch p.haystack {
                case .noise:
                    XCTAssertEqual(lines.count, units + needleCount, what)
                    XCTAssertEqual(lines.filter { $0 == RULERTemplates.noiseHaystack }.count, units, what)
                    XCTAssertEqual(lines.filter { $0.hasPrefix("One of the special magic") }.count, needleCount, what)
                    for (needle, depth) in zip(needles, depths) {
                        let at = try XCTUnwrap(lines.firstIndex(of: needle))
                        XCTAssertEqual(Double(at) / Double(lines.count) * 100, depth, accuracy: 100.0 * Double(needleCount + 1) / Double(units) + 1, what)
                    }
                case .needle:
                    XCTAssertEqual(lines.count, units + needleCount, what)
                    let pattern = /One of the special magic (numbers|uuids|words) for [0-9a-z-]+ is: [0-9a-z-]+\./
                    XCTAssertTrue(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil }, what)
                case .essay:
                    // Removing the needles gives back the essay's first `units` words; needles sit between sentences.
                    var rest = context
                    for needle in needles {
                        let range = try XCTUnwrap(rest.range(of: needle))
                        let before = rest[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                        // At a sentence end, or at the very end (depth 100: after the last, possibly cut, sentence).
                        let after = rest[range.upperBound...].trimmingCharacters(in: .whitespaces)
                        let atEnd = needles.contains { after.hasPrefix($0) } || after.isEmpty
                            || after.hasPrefix("One of the special magic")
                        XCTAssertTrue(before.isEmpty || ".!?\"')".contains(before.last!) || atEnd,
                                      "\(what): needle after \(before.suffix(20))")
                        let at = Double(context.distance(from: context.startIndex, to: context.range(of: needle)!.lowerBound))
                        XCTAssertEqual(at / Double(context.count) * 100, depths[needles.firstIndex(of: needle)!],
                                       accuracy: 12, "\(what): depth of \(needle)")
                        rest.replaceSubrange(range, with: "")
                    }
                    let words = rest.split(whereSeparator: { $0 == " " }).map(String.init)
                    let distractors = max(p.numKeys, p.numQueries) * p.numValues - needles.count
                    XCTAssertEqual(words.count, units + distractors * 10, what)  // other keys' needles: 10 words each
                    if distractors == 0 {
                        XCTAssertEqual(words, (0..<units).map { essayWords[$0 % essayWords.count] }, what)
                    }
                }
            }
        }
    }

    // MARK: - vt

    /// Follows "VAR X = value" / "VAR Y = VAR X" lines: the variables that end up holding `value`.
    private func variables(holding value: String, in text: String) -> Set<String> {
        var assigned: [String: String] = [:]
        for match in text.matches(of: /VAR ([A-Z]+) = (VAR ([A-Z]+)|[0-9]+)/) {
            assigned[String(match.1)] = match.3.map { "VAR " + $0 } ?? String(match.2)
        }
        func resolve(_ name: String, depth: Int = 0) -> String? {
            guard let a = assigned[name], depth < 100 else { return nil }
            return a.hasPrefix("VAR ") ? resolve(String(a.dropFirst(4)), depth: depth + 1) : a
        }
        return Set(assigned.keys.filter { resolve($0) == value })
    }

    func testVariableTrackingChains() throws {
        let (head, tailTemplate, _) = try rulerHeadTail(.vt)
        for sample in try RULERFixtures.task(.vt, lengths: [1200, 4096], samples: 3).makeSamples(tokenizer: tokenizer) {
            let value = try XCTUnwrap(sample.fields["value"])
            let tail = tailTemplate.rulerFilled(["query": value, "num_v": "5"])
            XCTAssertTrue(sample.prompt.hasPrefix(head), "the worked example comes first")
            XCTAssertEqual(sample.prompt.rulerCount(of: head), 2)
            let context = try context(of: sample.prompt, head: head, tail: tail)
            XCTAssertEqual(sample.references.count, 5)
            XCTAssertTrue(sample.references.allSatisfy { $0.wholeMatch(of: /[A-Z]{5}/) != nil })
            XCTAssertEqual(variables(holding: value, in: context), Set(sample.references), sample.id)
            // One chain in noise lines, in chain order.
            let lines = context.components(separatedBy: "\n").filter { $0 != RULERTemplates.noiseHaystack }
            XCTAssertEqual(lines, ["VAR \(sample.references[0]) = \(value)"]
                + (1..<5).map { "VAR \(sample.references[$0]) = VAR \(sample.references[$0 - 1]) " }, sample.id)
            XCTAssertEqual(context.components(separatedBy: "\n").count, Int(sample.fields["haystack_units"]!)! + 5)

            // The worked example: its listed answer is its chain.
            let split = try XCTUnwrap(sample.prompt.range(of: head, options: .backwards))
            let example = String(sample.prompt[..<split.lowerBound])
            XCTAssertTrue(example.hasSuffix("\n\n"))
            let answerLine = try XCTUnwrap(example.components(separatedBy: "they are: ").last)
            let listed = answerLine.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            XCTAssertEqual(listed.count, 5)
            XCTAssertTrue(listed.allSatisfy { $0.wholeMatch(of: /[A-Z]{3}/) != nil }, "\(listed)")
            let exampleValue = try XCTUnwrap(example.firstMatch(of: /assigned the value ([0-9]+) in the text above/)?.1)
            XCTAssertEqual(variables(holding: String(exampleValue), in: example), Set(listed))
        }
    }

    /// RULER's other vt layout: several chains interleaved between essay sentences, each link closed by a period.
    func testVariableTrackingInEssayWithSeveralChains() throws {
        let config = RULERTask.Configuration(tokensToGenerate: 30, parameters: .variableTracking(
            .init(haystack: .essay, numChains: 3, numHops: 2, fewShot: false)))
        let task = RULERTask(kind: .vt, lengths: [900], samplesPerLength: 3, configuration: config,
                             haystackText: try RULERFixtures.essay)
        let (head, tailTemplate, _) = try rulerHeadTail(.vt)
        for sample in try task.makeSamples(tokenizer: tokenizer) {
            let value = try XCTUnwrap(sample.fields["value"])
            let context = try context(of: sample.prompt, head: head, tail: tailTemplate.rulerFilled(["query": value, "num_v": "3"]))
            XCTAssertTrue(sample.prompt.hasPrefix(head), "no worked example")
            XCTAssertEqual(sample.references.count, 3)
            XCTAssertEqual(variables(holding: value, in: context), Set(sample.references), sample.id)
            let links = context.matches(of: /VAR [A-Z]{5} = (VAR [A-Z]{5}|[0-9]{5})\./).count
            XCTAssertEqual(links, 9, "three chains of three links, each ending in a period")
            for (a, b) in zip(sample.references, sample.references.dropFirst()) {
                let first = try XCTUnwrap(context.range(of: "VAR \(a) ="))
                let second = try XCTUnwrap(context.range(of: "VAR \(b) = VAR \(a)."))
                XCTAssertLessThan(first.lowerBound, second.lowerBound, "links keep their chain's order")
            }
        }
    }

    // MARK: - cwe

    private func numberedWords(_ text: String) throws -> [String] {
        let parts = text.split(separator: " ").map(String.init)
        XCTAssertEqual(parts.count % 2, 0)
        var words: [String] = []
        for i in stride(from: 0, to: parts.count, by: 2) {
            XCTAssertEqual(parts[i], "\(i / 2 + 1).", "numbering")
            words.append(parts[i + 1])
        }
        return words
    }

    func testCommonWordsAreTheMostFrequent() throws {
        let (head, tail, _) = try rulerHeadTail(.cwe)
        for length in [1500, 4096, 6000] {
            for sample in try RULERFixtures.task(.cwe, lengths: [length], samples: 2).makeSamples(tokenizer: tokenizer) {
                let context = try context(of: sample.prompt, head: head, tail: tail).trimmingCharacters(in: .newlines)
                let words = try numberedWords(context)
                var counts: [String: Int] = [:]
                for w in words { counts[w, default: 0] += 1 }
                XCTAssertEqual(counts.count, Int(sample.fields["haystack_units"]!)!)
                XCTAssertEqual(sample.references.count, 10)
                XCTAssertEqual(Set(sample.references), Set(counts.sorted { $0.value > $1.value }.prefix(10).map(\.key)))
                let (common, uncommon) = length < 4096 ? (6, 1) : (30, 3)  // RULER's short-length frequencies
                XCTAssertTrue(sample.references.allSatisfy { counts[$0] == common }, sample.id)
                XCTAssertTrue(counts.filter { !sample.references.contains($0.key) }.allSatisfy { $0.value == uncommon })
                // The worked example before: its answers are its own most frequent words.
                XCTAssertTrue(sample.prompt.hasPrefix(head))
                let exampleEnd = try XCTUnwrap(sample.prompt.range(of: "\n" + head, options: .backwards))
                let example = String(sample.prompt[..<exampleEnd.lowerBound])
                let pieces = example.components(separatedBy: tail)
                XCTAssertEqual(pieces.count, 2)
                let exampleWords = try numberedWords(pieces[0].dropFirst(head.count).trimmingCharacters(in: .newlines))
                let exampleAnswers = try numberedWords(pieces[1].trimmingCharacters(in: .whitespaces))
                var exampleCounts: [String: Int] = [:]
                for w in exampleWords { exampleCounts[w, default: 0] += 1 }
                XCTAssertEqual(exampleCounts.count, length < 4096 ? 20 : 40)
                XCTAssertEqual(Set(exampleAnswers), Set(exampleCounts.sorted { $0.value > $1.value }.prefix(10).map(\.key)))
            }
        }
    }

    /// Past our word lists (about 1,500 words), cwe draws made-up words, like RULER's fallback to a bigger list.
    func testCommonWordsBeyondTheWordList() throws {
        let (head, tail, _) = try rulerHeadTail(.cwe)
        let sample = try XCTUnwrap(RULERFixtures.task(.cwe, lengths: [12000], samples: 1).makeSamples(tokenizer: tokenizer).first)
        let units = try XCTUnwrap(Int(sample.fields["haystack_units"] ?? ""))
        XCTAssertGreaterThan(units, Set(RULERWordList.nouns + RULERWordList.adjectives + RULERWordList.verbs).count)
        let words = try numberedWords(try context(of: sample.prompt, head: head, tail: tail).trimmingCharacters(in: .newlines))
        XCTAssertEqual(Set(words).count, units)
        XCTAssertTrue(sample.references.allSatisfy { w in words.filter { $0 == w }.count == 30 })
    }

    // MARK: - fwe

    func testFrequentWordsAreTheMostFrequent() throws {
        let (head, tail, _) = try rulerHeadTail(.fwe)
        for sample in try RULERFixtures.task(.fwe, lengths: [1500, 8192], samples: 2).makeSamples(tokenizer: tokenizer) {
            XCTAssertTrue(sample.prompt.hasPrefix(head))
            let words = try context(of: sample.prompt, head: head, tail: tail).split(separator: " ").map(String.init)
            var counts: [String: Int] = [:]
            for w in words { counts[w, default: 0] += 1 }
            let ranked = counts.sorted { $0.value > $1.value }
            XCTAssertEqual(ranked[0].key, "...", "the top-ranked word is the '...' noise")
            XCTAssertEqual(sample.references, ranked[1...3].map(\.key), sample.id)
            XCTAssertGreaterThan(ranked[3].value, ranked[4].value, "the third answer is strictly above the rest")
            XCTAssertTrue(sample.references.allSatisfy { $0.wholeMatch(of: /[a-z]{6}/) != nil })
            // Zipf counts with alpha 2: int(n k^-2 / zeta(2)) for the n searched.
            let n = Double(try XCTUnwrap(Int(sample.fields["haystack_units"] ?? "")))
            XCTAssertEqual(ranked[0].value, Int(n / (Double.pi * Double.pi / 6)), sample.id)
            XCTAssertEqual(ranked[1].value, Int(n / 4 / (Double.pi * Double.pi / 6)), sample.id)
            let vocabulary = (sample.contextLength - 50) / 50
            XCTAssertLessThanOrEqual(counts.count, vocabulary)
        }
    }

    func testZetaMatchesMpmath() throws {
        let values = try XCTUnwrap(RULERFixtures.json("zeta.json").array)
        XCTAssertFalse(values.isEmpty)
        for v in values {
            let alpha = try XCTUnwrap(v["alpha"]?.number), zeta = try XCTUnwrap(v["zeta"]?.number)
            XCTAssertEqual(RULERFrequentWordsGenerator.riemannZeta(alpha), zeta, accuracy: zeta * 1e-13, "alpha \(alpha)")
        }
    }

    // MARK: - qa

    func testQAPrompts() throws {
        let (headTemplate, tailTemplate, _) = try rulerHeadTail(.qa1)
        for kind in [RULERTask.Kind.qa1, .qa2] {
            for sample in try RULERFixtures.task(kind, lengths: [300, 1500], samples: 3).makeSamples(tokenizer: tokenizer) {
                let question = try XCTUnwrap(sample.fields["question"])
                let context = try context(of: sample.prompt, head: headTemplate,
                                          tail: tailTemplate.rulerFilled(["query": question]))
                XCTAssertTrue(sample.prompt.hasPrefix(headTemplate))
                let documents = ("\n\n" + context).components(separatedBy: "\n\nDocument ").dropFirst()
                XCTAssertEqual(documents.count, Int(sample.fields["haystack_units"]!)!, sample.id)
                for (i, doc) in documents.enumerated() { XCTAssertTrue(doc.hasPrefix("\(i + 1):\n"), sample.id) }
                let gold = try XCTUnwrap(sample.fields["gold_documents"]).split(separator: ",").map { Int($0)! }
                XCTAssertFalse(gold.isEmpty)
                if kind == .qa1 {
                    // SQuAD answers are spans of the gold paragraph.
                    let goldText = documents[documents.startIndex + gold[0] - 1]
                    XCTAssertTrue(sample.references.contains { goldText.contains($0) }, sample.id)
                }
            }
        }
    }

    func testQAParsingMatchesRULER() throws {
        let reference = try RULERFixtures.json("qa_parse.json")
        for (file, dataset) in [("squad_tiny.json", RULERTask.QADataset.squad), ("hotpotqa_tiny.json", .hotpotqa)] {
            let ours = try RULERQAData(path: RULERFixtures.path(file), dataset: dataset)
            let theirs = try XCTUnwrap(reference[file])
            XCTAssertEqual(ours.documents, try XCTUnwrap(theirs["documents"]?.array).map { try XCTUnwrap($0.string) }, file)
            let questions = try XCTUnwrap(theirs["questions"]?.array)
            XCTAssertEqual(ours.questions.count, questions.count, file)
            for (q, r) in zip(ours.questions, questions) {
                XCTAssertEqual(q.query, r["query"]?.string)
                XCTAssertEqual(q.answers, try XCTUnwrap(r["outputs"]?.array).map { try XCTUnwrap($0.string) })
                XCTAssertEqual(q.gold, try XCTUnwrap(r["context"]?.array).map { try XCTUnwrap($0.int) })
                XCTAssertEqual(q.sameArticle, (r["more_context"]?.array ?? []).map { $0.int! })
            }
        }
    }

    func testQABadFilesNameTheFileAndPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ruler-qa-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json").path
        try Data(#"{"data": [{"paragraphs": [{"context": "c", "qas": [{"id": "x", "answers": []}]}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        XCTAssertThrowsError(try RULERQAData(path: bad, dataset: .squad)) { error in
            XCTAssertTrue("\(error)".contains(bad) && "\(error)".contains("data[0].paragraphs[0].qas[0]"), "\(error)")
        }
        let broken = dir.appendingPathComponent("broken.json").path
        try Data("[{\"question\": ".utf8).write(to: URL(fileURLWithPath: broken))
        XCTAssertThrowsError(try RULERQAData(path: broken, dataset: .hotpotqa)) { error in
            XCTAssertTrue("\(error)".contains(broken) && "\(error)".contains("byte"), "\(error)")
        }
    }

    // MARK: - essay sentences

    func testSentenceSplitKeepsTheTextAndFindsBoundaries() throws {
        let text = try RULERFixtures.essay.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let sentences = RULERSentences.split(text)
        XCTAssertEqual(sentences.joined(separator: " "), text)
        XCTAssertTrue(sentences.contains("Half of them die!"))
        XCTAssertTrue(sentences.contains("What should you do in the cold months?"))
        XCTAssertTrue(sentences.contains { $0.hasPrefix("Dr. Alder, who ran") }, "no split after Dr.")
        XCTAssertTrue(sentences.contains { $0.hasPrefix("Mulch the beds with leaves, e.g. oak") })
        XCTAssertTrue(sentences.contains("\"Everything else is costume,\" she told me."))
        XCTAssertTrue(sentences.contains { $0.hasPrefix("Wash the glass (both sides) before") })
        XCTAssertGreaterThan(sentences.count, 30)
    }
}
