import Evaluation
import Foundation
import XCTest

/// The runner on a scripted target: every sample once, records appended as they finish, resume after a cut,
/// a changed task refused, prompts ordered so shared prefixes are neighbours, answer prefixes split off for chat.
final class EvalRunnerTests: XCTestCase {
    /// Words as tokens (each word's index in a growing vocabulary), enough to size and order prompts.
    final class WordCounter: TokenCounting, @unchecked Sendable {
        private var vocabulary: [String: Int32] = [:]
        private var words: [String] = []
        private let lock = NSLock()
        func encode(_ text: String) -> [Int32] {
            lock.withLock {
                text.split(separator: " ").map { word in
                    if let id = vocabulary[String(word)] { return id }
                    let id = Int32(words.count)
                    vocabulary[String(word)] = id
                    words.append(String(word))
                    return id
                }
            }
        }
        func decode(_ tokens: [Int32]) -> String { lock.withLock { tokens.map { words[Int($0)] }.joined(separator: " ") } }
    }

    /// Samples "shared prefix ... key K" whose answer is K; the score is whether the output names it.
    struct EchoTask: EvalTask {
        var name = "echo"
        var count = 6
        var marker = "A"
        var budget = 4
        func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
            (0..<count).map { i in
                EvalSample(id: "echo/\(i)", task: name, prompt: "common words here \(marker) \(i % 2 == 0 ? "even" : "odd") key \(i) Answer:",
                           references: ["\(i)"], maxNewTokens: budget, contextLength: 100 * (1 + i % 3), depth: Double(i * 10),
                           fields: ["answer_prefix": " Answer:"])
            }
        }
        func score(output: String, sample: EvalSample) -> EvalScores {
            ["score": output.contains(sample.references[0]) ? 1 : 0]
        }
    }

    /// Answers with the number after "key"; records what it was sent; fails after `failAfter` prompts.
    final class ScriptedTarget: EvalTarget, @unchecked Sendable {
        var description: String { "scripted" }
        let batchSize: Int
        var failAfter: Int?
        private(set) var sent: [EvalPrompt] = []
        init(batchSize: Int, failAfter: Int? = nil) {
            self.batchSize = batchSize
            self.failAfter = failAfter
        }
        func generate(_ prompts: [EvalPrompt], chat: Bool) async throws -> [String] {
            if let failAfter, sent.count + prompts.count > failAfter { throw EvalTaskError("target went away") }
            sent += prompts
            return prompts.map { prompt in
                let words = prompt.text.split(separator: " ")
                return " " + String(words[words.firstIndex(of: "key")! + 1])
            }
        }
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "eval-runner-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func info(seed: UInt64 = 1) -> EvalRunInfo {
        EvalRunInfo(label: "test", task: "echo", target: "scripted", trainedLength: 200, seed: seed, settings: ["chat": "false"])
    }

    func testEverySampleOnceScoredAndResumable() async throws {
        let root = try temporaryDirectory()
        let directory = RunDirectory(root + "/run")
        let runner = EvalRunner(task: EchoTask(), tokenizer: WordCounter(), directory: directory, info: info(), chat: false)
        let failing = ScriptedTarget(batchSize: 2, failAfter: 4)
        do {
            try await runner.run(on: failing)
            XCTFail("the target failed after 4 prompts")
        } catch {}
        XCTAssertEqual(try directory.completedRecords().count, 4, "finished batches are on disk")
        // A kill in the middle of writing a line: the partial line is dropped on resume.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.samplesPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"id\": \"echo/9".utf8))
        try handle.close()
        let target = ScriptedTarget(batchSize: 2)
        let records = try await runner.run(on: target)
        XCTAssertEqual(target.sent.count, 2, "only the two missing samples are sent again")
        XCTAssertEqual(records.map(\.id), (0..<6).map { "echo/\($0)" })
        XCTAssertEqual(Set(try directory.completedRecords().map(\.id)).count, 6)
        XCTAssertEqual(try directory.completedRecords().count, 6)
        XCTAssertTrue(records.allSatisfy { $0.scores["score"] == 1 })
        XCTAssertEqual(records[0].promptHash, EvalRunner.promptHash(try EchoTask().makeSamples(tokenizer: WordCounter())[0].prompt))
        // Finished: a rerun sends nothing.
        let idle = ScriptedTarget(batchSize: 2)
        try await runner.run(on: idle)
        XCTAssertTrue(idle.sent.isEmpty)
    }

    func testAnotherRunInTheSameDirectoryIsRefused() async throws {
        let root = try temporaryDirectory()
        let directory = RunDirectory(root + "/run")
        try await EvalRunner(task: EchoTask(), tokenizer: WordCounter(), directory: directory, info: info(), chat: false)
            .run(on: ScriptedTarget(batchSize: 3))
        do {
            try await EvalRunner(task: EchoTask(), tokenizer: WordCounter(), directory: directory, info: info(seed: 2), chat: false)
                .run(on: ScriptedTarget(batchSize: 3))
            XCTFail("another seed in the same directory must be refused")
        } catch let error as EvalTaskError {
            XCTAssertTrue(error.message.contains("describes another run"), error.message)
        }
        do {
            try await EvalRunner(task: EchoTask(marker: "B"), tokenizer: WordCounter(), directory: directory, info: info(), chat: false)
                .run(on: ScriptedTarget(batchSize: 3))
            XCTFail("changed prompts must be refused")
        } catch let error as EvalTaskError {
            XCTAssertTrue(error.message.contains("made from another prompt"), error.message)
        }
        do {
            try await EvalRunner(task: EchoTask(budget: 8), tokenizer: WordCounter(), directory: directory, info: info(), chat: false)
                .run(on: ScriptedTarget(batchSize: 3))
            XCTFail("a changed token budget must be refused")
        } catch let error as EvalTaskError {
            XCTAssertTrue(error.message.contains("token budget"), error.message)
        }
    }

    func testPromptsSharingPrefixesAreSentTogetherAndAnswerPrefixesSplit() async throws {
        let root = try temporaryDirectory()
        let target = ScriptedTarget(batchSize: 1)
        try await EvalRunner(task: EchoTask(), tokenizer: WordCounter(), directory: RunDirectory(root + "/run"), info: info(), chat: true)
            .run(on: target)
        let order = target.sent.map { $0.text.contains("even") ? "even" : "odd" }
        XCTAssertEqual(order, ["even", "even", "even", "odd", "odd", "odd"], "prompts sharing 'common words here A even' are neighbours")
        XCTAssertTrue(target.sent.allSatisfy { $0.answerPrefix == " Answer:" && !$0.text.hasSuffix("Answer:") })
        XCTAssertTrue(target.sent.allSatisfy { $0.maxNewTokens == 4 })
    }
}
