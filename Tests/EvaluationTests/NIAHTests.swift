import Foundation
import XCTest
@testable import Evaluation

final class NIAHTests: XCTestCase {
    /// np.round(np.linspace(1000, 128000, 40)) and np.round(np.linspace(0, 100, 10)), worked out by hand:
    /// step 127000 / 39 = 3256.41..., so 4256.41 -> 4256, 7512.82 -> 7513; depths k * 100 / 9 rounded.
    func testDefaultGridIsFuEtAls() {
        let grid = NeedleTask.defaultGrid()
        XCTAssertEqual(grid.lengths.count, 40)
        XCTAssertEqual(Array(grid.lengths.prefix(3)), [1000, 4256, 7513])
        XCTAssertEqual(grid.lengths.last, 128_000)
        XCTAssertEqual(grid.depths, [0, 11, 22, 33, 44, 56, 67, 78, 89, 100])
        let small = NeedleTask.defaultGrid(maxLength: 8000, minLength: 2000, lengthCount: 4, depthCount: 5)
        XCTAssertEqual(small.lengths, [2000, 4000, 6000, 8000])
        XCTAssertEqual(small.depths, [0, 25, 50, 75, 100])
    }

    func testPromptLayoutAndFields() throws {
        let task = NeedleTask(lengths: [1000], depths: [50], haystack: helmetTestHaystack)
        let sample = try XCTUnwrap(task.makeSamples(tokenizer: HelmetTestTokenizer()).first)
        XCTAssertEqual(sample.id, "niah/len=1000/depth=50")
        XCTAssertEqual(sample.task, "niah")
        XCTAssertTrue(sample.prompt.hasPrefix("<|im_start|> This is a very long story book: <book> Sentence number 0 "))
        XCTAssertTrue(sample.prompt.hasSuffix(
            " </book>.\n Based on the content of the book, Question: What is the best thing to do in San Francisco?\nAnswer:"))
        XCTAssertEqual(sample.maxNewTokens, 50)
        XCTAssertEqual(sample.depth, 50)
        XCTAssertEqual(sample.contextLength, 1000)
        XCTAssertEqual(sample.fields["context_length"], "1000")
        XCTAssertEqual(sample.fields["depth_percent"], "50")
        XCTAssertEqual(sample.references.first, NeedleTask.defaultNeedle)
        XCTAssertEqual(sample.prompt.components(separatedBy: NeedleTask.defaultNeedle).count, 2, "the needle appears once")
    }

    /// The needle goes after the last period at or before int(len * depth / 100), and the sizes follow their
    /// buffer rule: context + needle = length - 200 tokens.
    func testNeedleSnapsBackToSentenceEnd() throws {
        let tokenizer = HelmetTestTokenizer()
        let depths: [Double] = [0, 11, 33, 50, 67, 89, 100]
        let task = NeedleTask(lengths: [700, 1500], depths: depths, haystack: helmetTestHaystack)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(samples.count, 14)
        let needleTokens = tokenizer.tokenCount(NeedleTask.defaultNeedle)
        for s in samples {
            let length = s.contextLength, depth = try XCTUnwrap(s.depth)
            let parts = s.prompt.components(separatedBy: NeedleTask.defaultNeedle)
            XCTAssertEqual(parts.count, 2, s.id)
            let before = String(parts[0].dropFirst("<|im_start|> This is a very long story book: <book> ".count))
            let haystackTokens = Int(s.fields["haystack_tokens"]!)!
            XCTAssertEqual(haystackTokens + needleTokens, length - 200, "their cut: length - buffer - needle (\(s.id))")
            let insertion = Int(s.fields["needle_token_index"]!)!
            XCTAssertEqual(tokenizer.tokenCount(before), insertion, s.id)
            if depth == 100 {
                XCTAssertEqual(insertion, haystackTokens, s.id)
            } else if depth == 0 {
                XCTAssertEqual(insertion, 0, s.id)
            } else {
                XCTAssertTrue(before.hasSuffix("."), "\(s.id): needle after \(before.suffix(20).debugDescription)")
                let target = Int(Double(haystackTokens) * depth / 100)
                XCTAssertLessThanOrEqual(insertion, target, s.id)
                // No other period between the snapped point and the target: it is the nearest one.
                let haystack = tokenizer.encode(String(repeating: helmetTestHaystack, count: 3))
                let skipped = tokenizer.decode(Array(haystack[insertion..<target]))
                XCTAssertFalse(skipped.contains("."), "\(s.id): skipped \(skipped.debugDescription)")
            }
            let promptTokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(promptTokens + s.maxNewTokens, length, s.id)
            XCTAssertGreaterThan(promptTokens, length - 200, "close to the length (\(s.id))")
        }
    }

    func testBufferGrowsWhenAnswerWouldNotFit() throws {
        let tokenizer = HelmetTestTokenizer()
        let task = NeedleTask(lengths: [600], depths: [40], haystack: helmetTestHaystack, maxNewTokens: 300)
        let s = try XCTUnwrap(task.makeSamples(tokenizer: tokenizer).first)
        XCTAssertLessThanOrEqual(tokenizer.tokenCount(s.prompt) + 300, 600)
        XCTAssertGreaterThan(Int(s.fields["buffer"]!)!, 200)
    }

    func testDeterministic() throws {
        let task = NeedleTask(lengths: [500, 900], depths: [0, 50, 100], haystack: helmetTestHaystack)
        XCTAssertEqual(try task.makeSamples(tokenizer: HelmetTestTokenizer()), try task.makeSamples(tokenizer: HelmetTestTokenizer()))
    }

    func testRejectsBadDepth() {
        let task = NeedleTask(lengths: [500], depths: [120], haystack: helmetTestHaystack)
        XCTAssertThrowsError(try task.makeSamples(tokenizer: HelmetTestTokenizer()))
    }

    func testScorer() throws {
        let task = NeedleTask(lengths: [500], depths: [50], haystack: helmetTestHaystack)
        let s = try XCTUnwrap(task.makeSamples(tokenizer: HelmetTestTokenizer()).first)
        let perfect = task.score(output: "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.", sample: s)
        XCTAssertEqual(perfect["score"]!, 1, accuracy: 1e-12)
        XCTAssertEqual(perfect["rouge1_x10"]!, 10, accuracy: 1e-12)
        XCTAssertEqual(perfect["contains_answer"], 1)
        let partial = task.score(output: "Eat a sandwich in Dolores Park.", sample: s)
        // Stemmed unigrams: target 21 tokens, prediction 6 all found: P = 1, R = 6/21.
        XCTAssertEqual(partial["score"]!, 2 * (6.0 / 21) / (1 + 6.0 / 21), accuracy: 1e-12)
        XCTAssertEqual(partial["contains_answer"], 0)
        XCTAssertEqual(task.score(output: "I have no idea.", sample: s)["score"], 0)
    }

    func testRealTokenizer() throws {
        let tokenizer = try HelmetTestPaths.deepseekTokenizer()
        let task = NeedleTask(lengths: [1500, 3000], depths: [0, 33, 50, 100], haystack: helmetTestHaystack)
        for s in try task.makeSamples(tokenizer: tokenizer) {
            let tokens = tokenizer.tokenCount(s.prompt)
            XCTAssertLessThanOrEqual(tokens + s.maxNewTokens, s.contextLength, s.id)
            XCTAssertGreaterThan(tokens, s.contextLength - 200, s.id)
            let parts = s.prompt.components(separatedBy: "The best thing to do in San Francisco")
            XCTAssertEqual(parts.count, 2, s.id)
            // Depth 100 appends the needle as their code does, without looking for a period.
            if s.depth != 0 && s.depth != 100 {
                let before = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertTrue(before.hasSuffix("."), "\(s.id): \(before.suffix(30).debugDescription)")
            }
        }
    }
}
