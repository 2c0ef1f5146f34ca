import Foundation
import XCTest
@testable import Tokenization

/// Byte-exact comparison with the Python `regex` module (scripts/make_regex_fixtures.py).
final class RegexFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct PatternCase: Decodable {
            let name: String
            let pattern: String
            let cases: [[FlexibleValue]]
        }
        let texts: [String]
        let patterns: [PatternCase]
    }

    /// A case is `[textIndex, [gap, len, ...]]`.
    enum FlexibleValue: Decodable {
        case int(Int)
        case list([Int])
        init(from decoder: any Swift.Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .list(try c.decode([Int].self)) }
        }
    }

    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/regex/regex_fixtures.json")

    static func loadFixture() throws -> Fixture {
        let data = try Data(contentsOf: fixtureURL)
        return try JSONDecoder().decode(Fixture.self, from: data)
    }

    static func decode(_ flat: [Int]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var prev = 0
        var k = 0
        while k + 1 < flat.count {
            let s = prev + flat[k]
            let e = s + flat[k + 1]
            out.append(s..<e)
            prev = e
            k += 2
        }
        return out
    }

    static func describe(_ text: String, _ ranges: [Range<Int>]) -> String {
        let bytes = Array(text.utf8)
        return ranges.prefix(40).map { r -> String in
            let piece = String(decoding: bytes[max(0, min(r.lowerBound, bytes.count))..<max(0, min(r.upperBound, bytes.count))], as: UTF8.self)
            return "\(r.lowerBound)-\(r.upperBound)\(piece.debugDescription)"
        }.joined(separator: " ")
    }

    func testFixtureMatchesReference() throws {
        let fixture = try Self.loadFixture()
        XCTAssertGreaterThan(fixture.patterns.count, 20)
        var checked = 0
        var failures = 0
        for p in fixture.patterns {
            let compiled: PretokenPattern
            do { compiled = try PretokenPattern(p.pattern) } catch {
                XCTFail("\(p.name): failed to compile: \(error)")
                continue
            }
            for c in p.cases {
                guard c.count == 2, case .int(let ti) = c[0], case .list(let flat) = c[1] else {
                    XCTFail("bad fixture case in \(p.name)")
                    continue
                }
                let text = fixture.texts[ti]
                let expected = Self.decode(flat)
                let got = compiled.matches(in: text)
                checked += 1
                if got != expected {
                    failures += 1
                    if failures <= 25 {
                        XCTFail("""
                            \(p.name) text #\(ti) \(text.debugDescription.prefix(300))
                              expected: \(Self.describe(text, expected))
                              got:      \(Self.describe(text, got))
                            """)
                    }
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(failures) of \(checked) fixture cases differ")
        XCTAssertGreaterThan(checked, 5000)
    }

    /// The required tokenizer patterns are all in the fixture.
    func testRequiredPatternsPresent() throws {
        let names = Set(try Self.loadFixture().patterns.map(\.name))
        for n in ["gpt2", "cl100k", "qwen2", "o200k", "deepseek_digits", "deepseek_cjk_escaped",
                  "deepseek_cjk_literal", "deepseek_main", "pN", "digits", "spaces", "nonspace", "metaspace", "bert"] {
            XCTAssertTrue(names.contains(n), n)
        }
    }
}
