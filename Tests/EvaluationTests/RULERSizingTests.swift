import Foundation
import Tokenization
import TestSupport
import XCTest
@testable import Evaluation

/// Sizes (prompt + generation within the length and close to it), ids, determinism, distinct samples, errors,
/// and one run with the real tokenizer.
final class RULERSizingTests: XCTestCase {
    private let tokenizer = RULERWhitespaceTokenizer()

    /// The most tokens one haystack unit can add with the whitespace tokenizer, per kind: a search that is tight
    /// leaves less than this (plus the needles' own variation) unused.
    private func unitSlack(_ kind: RULERTask.Kind) -> Int {
        switch kind {
        case .niahSingle1, .vt: return 19  // a noise line
        case .niahMultikey2, .niahMultikey3: return 10  // a distractor needle
        case .niahSingle2, .niahSingle3, .niahMultikey1, .niahMultivalue, .niahMultiquery: return 1  // an essay word
        case .cwe: return 6  // an uncommon word three times, with its number
        case .fwe: return 3  // one more n adds at most a word or two over all ranks
        case .qa1, .qa2: return 40  // a document of our fixtures
        }
    }

    func testEverySampleFitsItsLengthTightly() throws {
        for kind in RULERTask.Kind.allCases {
            let lengths = [1024, 4096]
            let task = try RULERFixtures.task(kind, lengths: lengths, samples: 3)
            let samples = try task.makeSamples(tokenizer: tokenizer)
            XCTAssertEqual(samples.count, 6, kind.rawValue)
            for (n, sample) in samples.enumerated() {
                let length = lengths[n / 3]
                XCTAssertEqual(sample.id, "ruler/\(kind.rawValue)/len=\(length)/i=\(n % 3)")
                XCTAssertEqual(sample.task, "ruler/\(kind.rawValue)")
                XCTAssertEqual(sample.contextLength, length)
                XCTAssertEqual(sample.maxNewTokens, task.configuration.tokensToGenerate)
                let promptTokens = tokenizer.tokenCount(sample.prompt)
                XCTAssertEqual(sample.fields["prompt_tokens"], String(promptTokens), sample.id)
                XCTAssertEqual(sample.fields["length"], String(promptTokens + sample.maxNewTokens), sample.id)
                let total = promptTokens + sample.maxNewTokens
                XCTAssertLessThanOrEqual(total, length, sample.id)
                let slack = kind == .qa1 || kind == .qa2 ? unitSlack(kind) : 2 * unitSlack(kind) + 4
                XCTAssertGreaterThanOrEqual(total, length - slack, "\(sample.id): \(total) of \(length)")
            }
        }
    }

    /// The search itself: with a generator of known cost it lands on the exact optimum.
    func testBinarySearchFindsTheLargestFittingSize() throws {
        struct Linear: RULERGenerator {
            var perUnit: Int, overhead: Int
            var unitName: String { "units" }
            var incremental: Int { 25 }
            var minimumUnits: Int { 1 }
            func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
                RULERPrompt(text: Array(repeating: "w", count: overhead + perUnit * units).joined(separator: " "),
                            answerPrefix: "", answers: ["w"])
            }
        }
        for (perUnit, overhead, length, generate) in [(3, 7, 4096, 128), (1, 0, 1000, 0), (19, 80, 131072, 30), (5, 3, 140, 30)] {
            let sizing = try RULERSizing.search(length: length, tokensToGenerate: generate,
                                                generator: Linear(perUnit: perUnit, overhead: overhead),
                                                tokenizer: tokenizer, probe: RULERRandom(seed: 1), task: "t")
            XCTAssertEqual(sizing.units, (length - generate - overhead) / perUnit, "\(perUnit) \(overhead) \(length)")
            XCTAssertEqual(sizing.probeTokens, overhead + perUnit * sizing.units + generate)
        }
        XCTAssertThrowsError(try RULERSizing.search(length: 100, tokensToGenerate: 95, generator: Linear(perUnit: 3, overhead: 7),
                                                    tokenizer: tokenizer, probe: RULERRandom(seed: 1), task: "t"))
    }

    /// A sample whose own draws cost more per unit than the probe's gets the largest size that fits for it.
    func testOverflowingSampleShrinksToItsOwnLargestFit() throws {
        struct Uneven: RULERGenerator {
            var unitName: String { "units" }
            var incremental: Int { 10 }
            var minimumUnits: Int { 1 }
            func make(units: Int, sampleIndex: Int, random: inout RULERRandom) throws -> RULERPrompt {
                let perUnit = sampleIndex == 0 ? 2 : 3 + sampleIndex % 2
                return RULERPrompt(text: Array(repeating: "w", count: 5 + perUnit * units).joined(separator: " "),
                                   answerPrefix: "", answers: [])
            }
        }
        let length = 1000, generate = 50
        let sizing = try RULERSizing.search(length: length, tokensToGenerate: generate, generator: Uneven(),
                                            tokenizer: tokenizer, probe: RULERRandom(seed: 1), task: "t")
        XCTAssertEqual(sizing.units, (length - generate - 5) / 2)
        for index in 0..<4 {
            let made = try sizing.makeSample(index: index, length: length, tokensToGenerate: generate, generator: Uneven(),
                                             tokenizer: tokenizer, random: RULERRandom(seed: 2), task: "t")
            let perUnit = index == 0 ? 2 : 3 + index % 2
            XCTAssertEqual(made.units, (length - generate - 5) / perUnit, "sample \(index)")
            XCTAssertEqual(made.promptTokens, 5 + perUnit * made.units)
        }
    }

    func testSameSeedSameSamplesOtherSeedOtherSamples() throws {
        for kind in RULERTask.Kind.allCases {
            let a = try RULERFixtures.task(kind, lengths: [1500], samples: 3).makeSamples(tokenizer: tokenizer)
            let b = try RULERFixtures.task(kind, lengths: [1500], samples: 3).makeSamples(tokenizer: tokenizer)
            XCTAssertEqual(a, b, kind.rawValue)
            XCTAssertEqual(Set(a.map(\.prompt)).count, 3, "\(kind.rawValue): samples of a length differ")
            XCTAssertEqual(Set(a.map(\.id)).count, 3)
            if kind != .qa1 && kind != .qa2 {  // qa samples are the file's questions in order, as in RULER
                let c = try RULERFixtures.task(kind, lengths: [1500], samples: 3, seed: 7).makeSamples(tokenizer: tokenizer)
                XCTAssertNotEqual(a.map(\.prompt), c.map(\.prompt), kind.rawValue)
            }
        }
    }

    func testSampleIndexSeedsAreStableWhenAddingSamples() throws {
        let few = try RULERFixtures.task(.niahMultikey2, lengths: [2000], samples: 2).makeSamples(tokenizer: tokenizer)
        let more = try RULERFixtures.task(.niahMultikey2, lengths: [2000], samples: 4).makeSamples(tokenizer: tokenizer)
        XCTAssertEqual(Array(more.prefix(2)), few)
    }

    func testMissingInputsAndShortLengthsAreNamed() throws {
        func message(_ task: RULERTask) -> String {
            do { _ = try task.makeSamples(tokenizer: tokenizer); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(RULERTask(kind: .niahSingle2, lengths: [2000], samplesPerLength: 1)).contains("haystackText"))
        XCTAssertTrue(message(RULERTask(kind: .qa1, lengths: [2000], samplesPerLength: 1)).contains("qaDataPath"))
        XCTAssertTrue(message(RULERTask(kind: .qa2, lengths: [2000], samplesPerLength: 1, qaDataPath: "/nonexistent/h.json"))
            .contains("/nonexistent/h.json"))
        XCTAssertTrue(message(RULERTask(kind: .niahSingle1, lengths: [150], samplesPerLength: 1)).contains("too short"))
        XCTAssertTrue(message(RULERTask(kind: .vt, lengths: [20], samplesPerLength: 1)).contains("no room"))
        XCTAssertTrue(message(RULERTask(kind: .fwe, lengths: [200], samplesPerLength: 1)).contains("vocabulary"))
        XCTAssertEqual(message(RULERTask(kind: .niahSingle1, lengths: [], samplesPerLength: 5)), "")
    }

    func testNamesAndKinds() {
        XCTAssertEqual(RULERTask.Kind.allCases.map(\.rawValue), [
            "niah_single_1", "niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multikey_2", "niah_multikey_3",
            "niah_multivalue", "niah_multiquery", "vt", "cwe", "fwe", "qa_1", "qa_2",
        ])
        XCTAssertEqual(RULERTask(kind: .cwe, lengths: [], samplesPerLength: 0).name, "ruler/cwe")
        XCTAssertEqual(RULERTask(kind: .qa2, lengths: [], samplesPerLength: 0).configuration, .standard(.qa2))
    }

    func testWordListsAreCleanAndLarge() {
        for list in [RULERWordList.adjectives, RULERWordList.nouns, RULERWordList.verbs] {
            XCTAssertEqual(Set(list).count, list.count, "no duplicates")
            XCTAssertTrue(list.allSatisfy { $0.wholeMatch(of: /[a-z]+/) != nil })
        }
        XCTAssertGreaterThan(RULERWordList.adjectives.count * RULERWordList.nouns.count, 250_000)
        XCTAssertEqual(Set((0..<RULERPseudoWords.count).map(RULERPseudoWords.word)).count, RULERPseudoWords.count)
    }

    /// With the real DeepSeek tokenizer: counts are the tokenizer's, and the search is tight in its tokens.
    func testRealTokenizerSizes() throws {
        let path = RULERFixtures.assets + "/deepseek/tokenizer.json"
        try requireAssetFile(path)
        let real = try Tokenizer.load(path: path)
        for kind in [RULERTask.Kind.niahSingle1, .niahSingle3, .vt, .cwe, .fwe, .qa1] {
            let length = 4096
            let samples = try RULERFixtures.task(kind, lengths: [length], samples: 2).makeSamples(tokenizer: real)
            for sample in samples {
                let tokens = real.encode(sample.prompt, addSpecialTokens: false).count
                XCTAssertEqual(sample.fields["prompt_tokens"], String(tokens), sample.id)
                XCTAssertLessThanOrEqual(tokens + sample.maxNewTokens, length, sample.id)
                // One unit is at most a noise line (~25 tokens), a few words, or one of our small documents. fwe
                // draws new coded words for every sample, and how they tokenize moves its length by a few percent
                // around the searched probe (RULER keeps the probe's word count too, shrinking only on overflow).
                let slack = kind == .fwe ? length / 8 : 60
                XCTAssertGreaterThanOrEqual(tokens + sample.maxNewTokens, length - slack, "\(sample.id): \(tokens)")
            }
        }
    }
}
