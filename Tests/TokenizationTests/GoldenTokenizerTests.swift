import Formats
import XCTest
@testable import Tokenization

/// Every golden file made by scripts/make_tokenizer_fixtures.py with the reference libraries (HF
/// tokenizers, tiktoken, llama.cpp): ids, ids with special tokens, and decoded text must be identical.
final class GoldenTokenizerTests: XCTestCase {
    struct Golden {
        let name: String
        let json: JSONValue
    }

    static func goldens() throws -> [Golden] {
        let dir = TestPaths.fixtures + "/tokenizers/golden"
        return try listDirectory(dir).filter { $0.hasSuffix(".json") }.sorted().map { file in
            Golden(name: String(file.dropLast(5)), json: try JSONParser.parse(readFileBytes(dir + "/" + file), source: file))
        }
    }

    func testGoldenFilesExist() throws {
        XCTAssertGreaterThanOrEqual(try Self.goldens().count, 8, "golden fixtures are missing")
    }

    func testEveryGolden() throws {
        var failures: [String] = []
        var checked = 0
        for golden in try Self.goldens() {
            let path = TestPaths.resolve(golden.json["path"]?.string ?? "")
            if pathKind(path) != .file {
                if getenv("LONGCTX_REQUIRE_ASSETS") != nil { failures.append("\(golden.name): missing \(path)") }
                continue
            }
            let tokenizer = try load(golden, path)
            let (count, errors) = check(golden, tokenizer)
            checked += count
            let shown = getenv("LONGCTX_GOLDEN_VERBOSE") != nil ? 1000 : 8
            failures += errors.prefix(shown)
            if errors.count > shown { failures.append("\(golden.name): … \(errors.count - shown) more failures") }
        }
        XCTAssertGreaterThan(checked, 0, "no golden case ran")
        XCTAssert(failures.isEmpty, "\(failures.count) golden failures:\n" + failures.joined(separator: "\n"))
    }

    /// A tiktoken golden names its pattern and special tokens (custom vocabularies put their specials
    /// after their own ranks); the rest load as a user would.
    private func load(_ golden: Golden, _ path: String) throws -> Tokenizer {
        guard golden.json["kind"]?.string == "tiktoken", let pattern = golden.json["pattern"]?.string,
              let specials = golden.json["special_tokens"]?.object else {
            return try Tokenizer.load(path: path, encoding: golden.json["encoding"]?.string)
        }
        let encoding = TiktokenEncoding(name: golden.name, pattern: pattern,
                                        specialTokens: specials.compactMap { k, v in v.int.map { (k, TokenID($0)) } })
        return try Tokenizer(tiktokenRanks: readFileBytes(path), source: path, encoding: encoding)
    }

    private func check(_ golden: Golden, _ tokenizer: Tokenizer) -> (Int, [String]) {
        // Whether "ids" were made with special-token text recognized (tokenizer.json) or not (tiktoken's
        // encode_ordinary, llama.cpp's parse_special=false).
        let parseSpecial = golden.json["ids_parse_special"]?.bool ?? true
        var errors: [String] = []
        var checked = 0
        let cases = golden.json["cases"]?.array ?? []
        func compare(_ what: String, _ text: String, _ got: [TokenID], _ expected: JSONValue?) {
            guard let expected = expected?.array else { return }
            let want = expected.compactMap { $0.int.map { TokenID($0) } }
            checked += 1
            if let i = firstDifference(got, want) {
                errors.append("\(golden.name) \(what) \"\(visible(text))\": at \(i) got \(Array(got[i..<min(i + 6, got.count)])) want \(Array(want[i..<min(i + 6, want.count)])) (lengths \(got.count)/\(want.count))")
            }
        }
        func compareText(_ what: String, _ text: String, _ got: String, _ expected: JSONValue?) {
            guard let want = expected?.string else { return }
            checked += 1
            if got != want { errors.append("\(golden.name) \(what) \"\(visible(text))\": got \"\(visible(got))\" want \"\(visible(want))\"") }
        }
        for item in cases {
            guard let text = item["text"]?.string else { continue }
            let ids = tokenizer.encode(text, parseSpecialTokens: parseSpecial)
            compare("ids", text, ids, item["ids"])
            compare("ids_with_special", text, tokenizer.encode(text, addSpecialTokens: true), item["ids_with_special"])
            compare("ids_allowed_special", text, tokenizer.encode(text, parseSpecialTokens: true), item["ids_allowed_special"])
            // Decoding is checked on the reference's own ids, so an encode bug cannot hide a decode bug.
            let referenceIDs = (item["ids"]?.array ?? []).compactMap { $0.int.map { TokenID($0) } }
            compareText("decoded", text, tokenizer.decode(referenceIDs), item["decoded"])
            compareText("decoded_skip_special", text, tokenizer.decode(referenceIDs, skipSpecialTokens: true),
                        item["decoded_skip_special"])
        }
        for item in golden.json["decode_cases"]?.array ?? [] {
            let ids = (item["ids"]?.array ?? []).compactMap { $0.int.map { TokenID($0) } }
            let label = item["note"]?.string ?? "\(ids.prefix(8))"
            compareText("decode case", label, tokenizer.decode(ids), item["decoded"])
            compareText("decode case (skip special)", label, tokenizer.decode(ids, skipSpecialTokens: true),
                        item["decoded_skip_special"])
        }
        let texts = cases.compactMap { $0["text"]?.string }
        for long in golden.json["long_cases"]?.array ?? [] {
            let recipe = long["recipe"]
            let text: String
            if let char = recipe?["char"]?.string, let count = recipe?["count"]?.int {
                text = String(repeating: char, count: count)
            } else {
                let joined = texts.joined(separator: recipe?["join"]?.string ?? "\n")
                text = String(repeating: joined, count: recipe?["repeat"]?.int ?? 1)
            }
            let ids = tokenizer.encode(text, parseSpecialTokens: parseSpecial)
            checked += 1
            if let count = long["count"]?.int, count != ids.count {
                errors.append("\(golden.name) long case \(recipe.map { "\($0)" } ?? ""): \(ids.count) tokens, want \(count)")
            } else if let digest = long["ids_sha256"]?.string, SHA256.hex(littleEndianBytes(ids)) != digest {
                errors.append("\(golden.name) long case: ids differ (same count)")
            }
            if let digest = long["decoded_sha256"]?.string, SHA256.hex(Array(tokenizer.decode(ids).utf8)) != digest {
                errors.append("\(golden.name) long case: decoded text differs")
            }
        }
        return (checked, errors)
    }
}
