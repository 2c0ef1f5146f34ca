import Foundation
import XCTest
@testable import Evaluation

final class HelmetTaskTests: XCTestCase {
    // MARK: - JSON KV

    func testJSONKVCountsFollowHELMET() {
        let task = JSONKVTask(lengths: [])
        XCTAssertEqual([8192, 16384, 32768, 65536, 131072].map(task.pairs(for:)), [105, 220, 440, 900, 1800])
        XCTAssertEqual(task.pairs(for: 4096), 50)
        XCTAssertEqual(task.pairs(for: 12288), 163, "halfway between 105 and 220, rounded")
        XCTAssertEqual(task.pairs(for: 2048), 25, "proportional below the table")
        XCTAssertEqual(task.pairs(for: 262_144), 3600, "proportional above the table")
    }

    func testJSONKVPromptAndSizes() throws {
        let tokenizer = HelmetTestTokenizer()
        let task = JSONKVTask(lengths: [8192], samplesPerLength: 3)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 3)
        let uuid = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for s in samples {
            XCTAssertEqual(s.fields["num_kvs"], "105", "fits at 8K, so HELMET's count")
            let value = try XCTUnwrap(s.references.first)
            XCTAssertEqual(uuid.numberOfMatches(in: value, range: NSRange(value.startIndex..., in: value)), 1, value)
            XCTAssertTrue(s.prompt.hasPrefix("JSON data:\n{\""))
            XCTAssertTrue(s.prompt.hasSuffix("\"\nCorresponding value:"))
            XCTAssertTrue(s.prompt.contains("}\n\nExtract the value corresponding to the specified key in the JSON object below.\n\nKey: \""))
            // The gold pair is in the object, its key asked at the end, two demonstrations before it.
            let key = String(s.prompt.split(separator: "\n").last(where: { $0.hasPrefix("Key: ") })!.dropFirst(6).dropLast())
            XCTAssertTrue(s.prompt.contains("\"\(key)\": \"\(value)\""))
            XCTAssertEqual(s.prompt.components(separatedBy: "Corresponding value:").count - 1, 3, "two demos and the question")
            // The object is valid JSON with 105 pairs.
            let json = s.prompt.dropFirst("JSON data:\n".count).prefix { $0 != "}" } + "}"
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
            XCTAssertEqual(object.count, 105)
            XCTAssertEqual(object[key], value)
            XCTAssertLessThanOrEqual(tokenizer.tokenCount(s.prompt) + 100, 8192)
        }
        XCTAssertEqual(samples, try task.makeSamples(tokenizer: tokenizer))
    }

    func testJSONKVDropsPairsToFit() throws {
        let tokenizer = HelmetTestTokenizer()
        let task = JSONKVTask(lengths: [2000], samplesPerLength: 2, depths: [0, 100], pairsPerLength: [2000: 400])
        for s in try task.makeSamples(tokenizer: tokenizer) {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + 100, 2000)
            XCTAssertGreaterThan(tokens + 100, 2000 - 40, "within about one pair of the budget")
            XCTAssertLessThan(Int(s.fields["num_kvs"]!)!, 400)
            XCTAssertEqual(s.fields["helmet_num_kvs"], "400")
        }
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples[0].fields["gold_index"], "0")
        XCTAssertEqual(Int(samples[1].fields["gold_index"]!)!, Int(samples[1].fields["num_kvs"]!)! - 1)
    }

    func testJSONKVFillLength() throws {
        let tokenizer = HelmetTestTokenizer()
        let samples = try JSONKVTask(lengths: [3000, 6000], samplesPerLength: 1, fillLength: true).makeSamples(tokenizer: tokenizer)
        for s in samples {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + 100, s.contextLength, s.id)
            XCTAssertGreaterThan(tokens + 100, s.contextLength - 40, "within about one pair (\(s.id))")
        }
        XCTAssertGreaterThan(Int(samples[1].fields["num_kvs"]!)!, 2 * Int(samples[0].fields["num_kvs"]!)! - 10)
    }

    func testJSONKVScoring() throws {
        let task = JSONKVTask(lengths: [])
        let value = "0f9a2c1e-1111-4abc-8def-0123456789ab"
        let s = EvalSample(id: "j", task: task.name, prompt: "", references: [value], maxNewTokens: 100, contextLength: 1)
        XCTAssertEqual(task.score(output: " \(value)", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " \"\(value)\"\nKey: something else", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " 0f9a2c1e-1111-4abc-8def", sample: s)["score"], 0)
        // SubEM drops the punctuation: hyphens do not matter, the characters do.
        XCTAssertEqual(task.score(output: " 0f9a2c1e11114abc8def0123456789ab", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " \(value)", sample: s)["exact_match"], 1, "exact after parsing the prefix")
    }

    // MARK: - RAG

    private func ragFile(questions: Int = 3, passages: Int = 80) throws -> String {
        let lines = (0..<questions).map { q in
            HelmetTestPaths.jsonLine([
                "question": "Who wrote book \(q)?", "answers": ["Author \(q)", "A. \(q)"],
                "ctxs": (0..<passages).map { p in ["title": "Title \(q)-\(p)", "text": "Passage \(p) about book \(q) and its author. It is long enough to count."] },
            ])
        }
        return try HelmetTestPaths.temporaryFile("rag-\(questions)-\(passages).jsonl", lines)
    }

    func testRAGPromptPassagesAndTruncation() throws {
        let tokenizer = HelmetTestTokenizer()
        let path = try ragFile()
        // 1000 tokens would get 5 passages by the proportional rule; 50 forces HELMET's truncation.
        let task = HelmetRAGTask(path: path, lengths: [8192, 1000], maxSamples: nil, passagesPerLength: [1000: 50])
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 6)
        let full = samples[0]
        XCTAssertTrue(full.prompt.hasPrefix("Use the given documents to write a concise and short answer to the question. Write your answer in the following format:\nAnswer: [answer]\n\nDocument (Title: Title 0-0): Passage 0 about book 0"))
        XCTAssertTrue(full.prompt.hasSuffix("\n\nQuestion: Who wrote book 0?\nAnswer:"))
        XCTAssertEqual(full.fields["passages"], "50")
        XCTAssertEqual(full.fields["truncated_tokens"], "0")
        XCTAssertEqual(full.prompt.components(separatedBy: "Document (Title: ").count - 1, 50)
        XCTAssertEqual(full.references, ["Author 0", "A. 0"])
        for s in samples {
            XCTAssertLessThanOrEqual(tokenizer.tokenCount(s.prompt) + 20, s.contextLength, s.id)
        }
        let cut = samples[3]
        XCTAssertEqual(cut.contextLength, 1000)
        XCTAssertGreaterThan(Int(cut.fields["truncated_tokens"]!)!, 0)
        XCTAssertGreaterThanOrEqual(tokenizer.tokenCount(cut.prompt) + 20, 1000 - 2, "HELMET cuts just enough")
        XCTAssertTrue(cut.prompt.hasSuffix("\n\nQuestion: Who wrote book 0?\nAnswer:"))
    }

    func testRAGDemosAndSampling() throws {
        let tokenizer = HelmetTestTokenizer()
        let path = try ragFile(questions: 12, passages: 5)
        let demos = try ragFile(questions: 6, passages: 3)
        let task = HelmetRAGTask(path: path, lengths: [4096], demoPath: demos, shots: 2, maxSamples: 5)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 5)
        XCTAssertEqual(samples, try task.makeSamples(tokenizer: tokenizer))
        for s in samples {
            XCTAssertEqual(s.prompt.components(separatedBy: "\nAnswer: Author ").count - 1, 2, "two demonstrations")
            XCTAssertEqual(s.prompt.components(separatedBy: "Document (Title: ").count - 1, 2 * 3 + 5)
        }
        // random.seed(42); random.sample(sorted(questions), 5) picks these, kept in file order (CPython 3.11).
        var random = PythonRandom(seed: 42)
        let sorted = (0..<12).map { "Who wrote book \($0)?" }.sorted(by: HelmetSizing.pythonLess)
        let chosen = Set(random.sample(rangeOf: 12, count: 5).map { sorted[$0] })
        XCTAssertEqual(samples.map { $0.prompt.components(separatedBy: "\n\nQuestion: ").last! },
                       (0..<12).map { "Who wrote book \($0)?\nAnswer:" }.filter { chosen.contains(String($0.dropLast(8))) })
    }

    func testRAGScoring() {
        let task = HelmetRAGTask(path: "unused", lengths: [])
        let s = EvalSample(id: "r", task: task.name, prompt: "", references: ["Barack Obama", "Obama"], maxNewTokens: 20, contextLength: 1)
        XCTAssertEqual(task.score(output: " It was Barack Obama.", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " obama", sample: s)["exact_match"], 1)
        XCTAssertEqual(task.score(output: " Joe Biden", sample: s)["score"], 0)
    }

    func testJSONLErrorsNameFileAndLine() throws {
        let good = HelmetTestPaths.jsonLine(["question": "q", "answers": ["a"], "ctxs": [["title": "t", "text": "x"]]])
        let cases: [([String], String)] = [
            ([good, "{not json"], ":2: invalid JSON"),
            ([good, "", HelmetTestPaths.jsonLine(["question": "q", "ctxs": []])], ":3: missing field 'answers'"),
            ([HelmetTestPaths.jsonLine(["question": "q", "answers": ["a"], "ctxs": [["title": "t"]]])], ":1: missing field 'text' in ctxs[0]"),
            (["[1, 2]"], ":1: expected a JSON object"),
        ]
        for (i, (lines, message)) in cases.enumerated() {
            let path = try HelmetTestPaths.temporaryFile("bad-\(i).jsonl", lines)
            XCTAssertThrowsError(try HelmetRAGTask(path: path, lengths: [4096]).makeSamples(tokenizer: HelmetTestTokenizer())) {
                XCTAssertTrue("\($0)".contains(path + message), "\($0)")
            }
        }
    }

    // MARK: - Re-ranking

    private func rerankFile() throws -> String {
        let lines = (0..<2).map { q in
            HelmetTestPaths.jsonLine([
                "qid": "q\(q)", "query": "what is thing \(q)",
                "ctxs": (0..<20).map { p in ["id": String(100 + p), "title": "T\(p)", "text": "Text of passage \(p).", "label": p % 5 == 0 ? 2 : (p % 3 == 0 ? 1 : 0)] },
            ])
        }
        return try HelmetTestPaths.temporaryFile("rerank.jsonl", lines)
    }

    func testRerankPromptAndScoring() throws {
        let tokenizer = HelmetTestTokenizer()
        let task = HelmetRerankTask(path: try rerankFile(), lengths: [4096], maxSamples: nil)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 2)
        let s = samples[0]
        XCTAssertEqual(s.fields["passages"], "14")
        XCTAssertTrue(s.prompt.hasPrefix("You are provided with a list of documents, each indicated by their ID. Rank each document based on their relevance to the question in descending order from most relelvant to least relevant texts. Include all documents in the rankings. Write your answer using the unique IDs, with the following format:\nRanking: ID3 > ID1 > ID2\n\n[ID: 100] Document (Title: T0): Text of passage 0.\n\n[ID: 101]"))
        XCTAssertTrue(s.prompt.hasSuffix("[ID: 113] Document (Title: T13): Text of passage 13.\n\nQuery: what is thing 0\nRanking:"))
        // Labels of the 14 shown: 2 at 100, 105, 110; 1 at 103, 106, 109, 112; gold order stable within a label.
        XCTAssertEqual(s.references, ["100 > 105 > 110 > 103 > 106 > 109 > 112 > 101 > 102 > 104 > 107 > 108 > 111 > 113"])
        XCTAssertEqual(task.score(output: " " + s.references[0], sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " [105] > [100] > [110] > [112] > [109] > [106] > [103]", sample: s)["score"], 1)
        // One relevant (label 1) document first, nothing else: 1 / ideal DCG@10.
        var ideal = 0.0
        for (i, g) in [2, 2, 2, 1, 1, 1, 1, 0, 0, 0].enumerated() { ideal += Double(g) / log2(Double(i + 2)) }
        XCTAssertEqual(task.score(output: " [103]", sample: s)["score"]!, ((1 / ideal) * 100_000).rounded() / 100_000, accuracy: 1e-12)
        XCTAssertEqual(task.score(output: " I cannot rank these.", sample: s)["score"], 0)
        XCTAssertLessThanOrEqual(tokenizer.tokenCount(s.prompt) + 200, 4096)
    }

    func testRerankQrelField() throws {
        let line = HelmetTestPaths.jsonLine([
            "qid": 7, "query": "q", "ctxs": [["id": "31", "text": "x"], ["id": "32", "text": "y"]], "qrel": [["32", 1], ["31", 0]],
        ])
        let path = try HelmetTestPaths.temporaryFile("rerank-qrel.jsonl", [line])
        let task = HelmetRerankTask(path: path, lengths: [1000], maxSamples: nil)
        let s = try XCTUnwrap(task.makeSamples(tokenizer: HelmetTestTokenizer()).first)
        XCTAssertTrue(s.prompt.contains("[ID: 31] Document: x\n\n[ID: 32] Document: y"), "no title: HELMET's short template")
        XCTAssertEqual(s.fields["qid"], "7")
        XCTAssertEqual(task.score(output: "32 > 31", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: "31 > 32", sample: s)["score"]!, ((1 / log2(3.0)) * 100_000).rounded() / 100_000)
        let bad = try HelmetTestPaths.temporaryFile("rerank-bad.jsonl", [HelmetTestPaths.jsonLine(["qid": "1", "query": "q", "ctxs": [["id": "a", "text": "x"]]])])
        XCTAssertThrowsError(try HelmetRerankTask(path: bad, lengths: [1000]).makeSamples(tokenizer: HelmetTestTokenizer())) {
            XCTAssertTrue("\($0)".contains(bad + ":1: ctxs[0] has no 'label'"), "\($0)")
        }
    }

    // MARK: - ICL

    private func iclFiles(trainPerLabel: Int = 30, test: Int = 40, labels: [String] = ["0", "1", "2", "3"]) throws -> (String, String) {
        var train: [String] = [], tests: [String] = []
        for i in 0..<trainPerLabel {
            for (l, label) in labels.enumerated() { train.append(HelmetTestPaths.jsonLine(["text": "train text \(i) of kind \(l) with some words", "label": label])) }
        }
        for i in 0..<test { tests.append(HelmetTestPaths.jsonLine(["text": "test text \(i)", "label": labels[i % labels.count]])) }
        return (try HelmetTestPaths.temporaryFile("icl-train-\(labels.count).jsonl", train),
                try HelmetTestPaths.temporaryFile("icl-test-\(labels.count).jsonl", tests))
    }

    func testICLFillsTheLengthWithBalancedDemos() throws {
        let tokenizer = HelmetTestTokenizer()
        let (train, test) = try iclFiles()
        let task = HelmetICLTask(trainPath: train, testPath: test, lengths: [1500], maxTestSamples: 8)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 8)
        XCTAssertEqual(samples, try task.makeSamples(tokenizer: tokenizer))
        for s in samples {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + 20, 1500, s.id)
            XCTAssertGreaterThan(tokens + 20, 1500 - 25, "within about one demonstration (\(s.id))")
            XCTAssertTrue(s.prompt.hasPrefix("Use the provided mapping from the text to label to assign a label to the text. Only output \"label: {label}\" and nothing else. \n\ntrain text "))
            XCTAssertNotNil(s.prompt.range(of: "\n\ntest text [0-9]+\nlabel:$", options: .regularExpression), s.id)
            // Class-balanced: label counts differ by at most one.
            var counts: [String: Int] = [:]
            for line in s.prompt.components(separatedBy: "\n") where line.hasPrefix("label: ") { counts[line, default: 0] += 1 }
            XCTAssertEqual(counts.count, 4)
            XCTAssertLessThanOrEqual(counts.values.max()! - counts.values.min()!, 1, "\(counts)")
            XCTAssertEqual(Int(s.fields["shots"]!)!, counts.values.reduce(0, +))
        }
        // Test texts themselves balanced by HELMET's rule: 2 per label.
        XCTAssertEqual(Dictionary(grouping: samples, by: { $0.fields["label_name"]! }).mapValues(\.count), ["0": 2, "1": 2, "2": 2, "3": 2])
    }

    func testICLLabelMappingIsTheSeededPermutation() throws {
        let tokenizer = HelmetTestTokenizer()
        let (train, test) = try iclFiles(labels: ["sports", "business", "world", "science"])
        let task = HelmetICLTask(trainPath: train, testPath: test, lengths: [800], maxTestSamples: nil, shotsPerLength: [800: 8])
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 40)
        for s in samples.prefix(6) {
            XCTAssertEqual(s.fields["shots"], "8")
            let text = s.prompt.components(separatedBy: "\n\n").last!.components(separatedBy: "\n").first!
            // Names numbered in code-point order (business 0, science 1, sports 2, world 3), then permuted with the
            // text's seed as HELMET does with random.seed(local_seed); random.shuffle(list(range(4))).
            var mapping = ["0", "1", "2", "3"]
            var random = PythonRandom(seed: HelmetSizing.hashSeed(text, offset: 42))
            random.shuffle(&mapping)
            let id = ["business": 0, "science": 1, "sports": 2, "world": 3][s.fields["label_name"]!]!
            XCTAssertEqual(s.references, [mapping[id]], s.id)
            XCTAssertLessThanOrEqual(tokenizer.tokenCount(s.prompt) + 20, 800)
        }
    }

    func testICLScoring() {
        let task = HelmetICLTask(trainPath: "", testPath: "", lengths: [])
        let s = EvalSample(id: "i", task: task.name, prompt: "", references: ["12"], maxNewTokens: 20, contextLength: 1)
        XCTAssertEqual(task.score(output: " 12", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " 12\ntext\nlabel: 3", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " label: 12", sample: s)["score"], 1, "a repeated prefix is dropped")
        XCTAssertEqual(task.score(output: " 120", sample: s)["score"], 0)
        XCTAssertEqual(task.score(output: " 3", sample: s)["score"], 0)
    }

    func testTasksWithRealTokenizer() throws {
        let tokenizer = try HelmetTestPaths.deepseekTokenizer()
        let kv = try JSONKVTask(lengths: [4096], samplesPerLength: 2).makeSamples(tokenizer: tokenizer)
        let filled = try JSONKVTask(lengths: [4096], samplesPerLength: 1, fillLength: true).makeSamples(tokenizer: tokenizer)
        let (train, test) = try iclFiles()
        let icl = try HelmetICLTask(trainPath: train, testPath: test, lengths: [2048], maxTestSamples: 4).makeSamples(tokenizer: tokenizer)
        let rag = try HelmetRAGTask(path: try ragFile(), lengths: [2048], maxSamples: 2).makeSamples(tokenizer: tokenizer)
        for s in kv + filled + icl + rag {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + s.maxNewTokens, s.contextLength, s.id)
        }
        // HELMET's item counts need not fill a length with another tokenizer; filled ICL prompts do.
        // Within one item: an ICL demonstration or a key-value pair (about 50 tokens of this tokenizer).
        for s in icl + filled { XCTAssertGreaterThan(tokenizer.tokenCount(s.prompt) + s.maxNewTokens, s.contextLength - 60, s.id) }
    }
}
