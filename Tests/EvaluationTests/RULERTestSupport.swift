import Foundation
import Formats
import Tokenization
import XCTest
@testable import Evaluation

/// Counts whitespace-separated words as tokens: fast, and easy to reason about in size checks.
struct RULERWhitespaceTokenizer: TokenCounting {
    func encode(_ text: String) -> [Int32] {
        text.split(whereSeparator: { $0.isWhitespace }).map { Int32(truncatingIfNeeded: $0.count) }
    }
    func decode(_ tokens: [Int32]) -> String { "" }
}

enum RULERFixtures {
    static let repository: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/EvaluationTests/RULERTestSupport.swift
        return parts.joined(separator: "/")
    }()
    static let directory = repository + "/Tests/Fixtures/ruler"
    static var assets: String {
        if let env = getenv("LONGCTX_ASSETS") { return String(cString: env) }
        return repository + "/.assets"
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(try readFileBytes(path(name)), source: path(name))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try readFileBytes(path(name)), as: UTF8.self)
    }

    static var essay: String { get throws { try text("essay.txt") } }

    /// RULER's task config (scripts/synthetic.yaml merged with data constants.py), dumped by
    /// scripts/fixtures/ruler_metrics.py.
    static func rulerTask(_ kind: RULERTask.Kind) throws -> JSONValue {
        guard let task = try json("tasks.json")["tasks"]?[kind.rawValue] else {
            throw XCTSkip("tasks.json has no \(kind.rawValue)")
        }
        return task
    }

    /// A task of `kind` with the inputs its configuration needs.
    static func task(_ kind: RULERTask.Kind, lengths: [Int], samples: Int, seed: UInt64 = 42) throws -> RULERTask {
        let config = RULERTask.Configuration.standard(kind)
        let qaPath: String? = switch kind {
        case .qa1: path("squad_tiny.json")
        case .qa2: path("hotpotqa_tiny.json")
        default: nil
        }
        return RULERTask(kind: kind, lengths: lengths, samplesPerLength: samples, seed: seed,
                         haystackText: config.needsHaystackText ? try essay : nil, qaDataPath: qaPath)
    }
}

extension String {
    /// Python's `str.format` for `{name}` fields, written independently of the library's for the tests.
    func rulerFilled(_ values: [String: String]) -> String {
        var out = self
        for (key, value) in values { out = out.replacingOccurrences(of: "{\(key)}", with: value) }
        return out
    }

    func rulerCount(of needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
