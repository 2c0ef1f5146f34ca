import Foundation
import XCTest
@testable import Evaluation

final class PasskeyTests: XCTestCase {
    private let description = "There is an important info hidden inside a lot of irrelevant text. Find it and memorize them. I will quiz you about the important information there."
    private let garbage = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."

    func testLayoutIsYarns() throws {
        let task = PasskeyTask(lengths: [800], samplesPerLength: 3, depths: [50])
        for s in try task.makeSamples(tokenizer: HelmetTestTokenizer()) {
            let key = try XCTUnwrap(s.references.first)
            let lines = s.prompt.components(separatedBy: "\n")
            XCTAssertEqual(lines.count, 5)
            XCTAssertEqual(lines[0], description)
            XCTAssertTrue(lines[1].hasPrefix(garbage + " " + garbage))
            XCTAssertEqual(lines[2], "The pass key is \(key). Remember it. \(key) is the pass key.")
            XCTAssertTrue(lines[3].hasPrefix(garbage))
            XCTAssertEqual(lines[4], "What is the pass key? The pass key is")
            // Both garbage pieces are cut from the start of the same repeated text.
            XCTAssertTrue((String(repeating: garbage + " ", count: 50)).hasPrefix(lines[1]))
            XCTAssertTrue((String(repeating: garbage + " ", count: 50)).hasPrefix(lines[3]))
            XCTAssertLessThanOrEqual(abs(lines[1].count - lines[3].count), 1, "depth 50 splits the garbage in half")
            XCTAssertTrue((1...50000).contains(Int(key)!))
        }
    }

    func testSizesFillTheLength() throws {
        let tokenizer = HelmetTestTokenizer()
        let task = PasskeyTask(lengths: [512, 2048, 5000], samplesPerLength: 4)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 12)
        for s in samples {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + 10, s.contextLength, s.id)
            XCTAssertGreaterThanOrEqual(tokens + 10, s.contextLength - 6, "close to the length (\(s.id))")
        }
    }

    func testDepthsPlaceTheKey() throws {
        let task = PasskeyTask(lengths: [1000], samplesPerLength: 3, depths: [0, 100, 25])
        let samples = try task.makeSamples(tokenizer: HelmetTestTokenizer())
        XCTAssertEqual(samples.map(\.depth), [0, 100, 25])
        XCTAssertTrue(samples[0].prompt.hasPrefix(description + "\n\nThe pass key is"))
        XCTAssertTrue(samples[1].prompt.hasSuffix("is the pass key.\n\nWhat is the pass key? The pass key is"))
        let lines = samples[2].prompt.components(separatedBy: "\n")
        XCTAssertEqual(Double(lines[1].count) / Double(lines[1].count + lines[3].count), 0.25, accuracy: 0.01)
    }

    func testRandomDepthsAndKeysAreSeeded() throws {
        let tokenizer = HelmetTestTokenizer()
        let a = try PasskeyTask(lengths: [600, 900], samplesPerLength: 5, seed: 1).makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(a, try PasskeyTask(lengths: [600, 900], samplesPerLength: 5, seed: 1).makeSamples(tokenizer: tokenizer))
        let b = try PasskeyTask(lengths: [600, 900], samplesPerLength: 5, seed: 2).makeSamples(tokenizer: tokenizer)
        XCTAssertNotEqual(a.map(\.references), b.map(\.references))
        XCTAssertGreaterThan(Set(a.compactMap(\.depth)).count, 3, "random splits differ between samples")
        // Adding a length leaves the other lengths' samples alone.
        let only900 = try PasskeyTask(lengths: [900], samplesPerLength: 5, seed: 1).makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(only900, Array(a.suffix(5)))
    }

    func testScoreIsFirstNumber() throws {
        let task = PasskeyTask(lengths: [])
        let s = EvalSample(id: "p", task: "passkey", prompt: "", references: ["31415"], maxNewTokens: 10, contextLength: 100)
        XCTAssertEqual(task.score(output: " 31415.", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: " The pass key is 31415", sample: s)["score"], 1)
        XCTAssertEqual(task.score(output: "031415", sample: s)["score"], 1, "int() drops leading zeros")
        XCTAssertEqual(task.score(output: "٣١٤١٥", sample: s)["score"], 1, "int() reads Arabic-Indic digits")
        XCTAssertEqual(task.score(output: " 314159", sample: s)["score"], 0)
        XCTAssertEqual(task.score(output: " 3 1415", sample: s)["score"], 0)
        XCTAssertEqual(task.score(output: " 12. Then 31415", sample: s)["score"], 0)
        XCTAssertEqual(task.score(output: " I don't know", sample: s)["score"], 0)
        XCTAssertEqual(task.score(output: String(repeating: "9", count: 40), sample: s)["score"], 0)
    }

    func testRealTokenizer() throws {
        let tokenizer = try HelmetTestPaths.deepseekTokenizer()
        let samples = try PasskeyTask(lengths: [1024, 4096], samplesPerLength: 3).makeSamples(tokenizer: tokenizer)
        for s in samples {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + 10, s.contextLength, s.id)
            XCTAssertGreaterThanOrEqual(tokens + 10, s.contextLength - 8, s.id)
        }
    }
}
