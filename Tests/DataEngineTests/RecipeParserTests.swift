import RecipeSupport
import XCTest
@testable import DataEngine

final class RecipeParserTests: XCTestCase {
    let base = """
        name: t
        seed: 3
        tokenizer: ${tok}
        parameters:
          tok: /x/tokenizer.json
          data: /data   # a comment
        stages:
          - name: 64k
            sequence_length: 65536
            tokens: 20_000_000_000
            upsampling: {mode: per_source}
            sources:
              - name: code
                input: repos:${data}/code
                proportion: 0.6
                packing: long
              - name: web
                inputs: [{path: "${data}/web.jsonl", kind: jsonl, text_field: content}]
                proportion: 0.4
        """

    func testParsesAStageWithDefaultsAndParameters() throws {
        let r = try RecipeParser.parse(base, file: "r.yaml", overrides: ["data": "/mnt/d"])
        XCTAssertEqual(r.tokenizer, "/x/tokenizer.json")
        XCTAssertEqual(r.seed, 3)
        let stage = r.stages[0]
        XCTAssertEqual(stage.tokens, 20_000_000_000)
        XCTAssertEqual(stage.upsampling.mode, .perSource)
        XCTAssertEqual(stage.upsampling.threshold, 4096)
        XCTAssertEqual(stage.upsampling.keepProbability, 0.1)
        XCTAssertEqual(stage.sources[0].inputs, [Recipe.Input(path: "/mnt/d/code", kind: .repos)])
        XCTAssertEqual(stage.sources[0].minLength, 65536)  // long data: at least the target length
        XCTAssertEqual(stage.sources[1].inputs[0].textField, "content")
        XCTAssertEqual(stage.sources[1].packing, .pretrain)
        XCTAssertEqual(r.sha256.count, 64)
        XCTAssertNotEqual(r.sha256, try RecipeParser.parse(base, file: "r.yaml").sha256)
    }

    func assertError(_ text: String, line: Int?, contains: String, file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertThrowsError(try RecipeParser.parse(text, file: "r.yaml"), file: file, line: at) { error in
            guard let e = error as? RecipeError else { return XCTFail("\(error)", file: file, line: at) }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: at)
            XCTAssertTrue(e.description.contains(contains), "\(e)", file: file, line: at)
            XCTAssertTrue(e.description.hasPrefix("r.yaml"), "\(e)", file: file, line: at)
        }
    }

    func testErrorsNameTheLineAndKey() {
        assertError(base.replacingOccurrences(of: "proportion: 0.4", with: "propotion: 0.4"), line: 19, contains: "stages[0].sources[1].propotion: unknown key")
        assertError(base.replacingOccurrences(of: "proportion: 0.4", with: "proportion: 0.3"), line: 13, contains: "proportions sum to 0.9")
        assertError(base.replacingOccurrences(of: "packing: long", with: "packing: longest"), line: 16, contains: "unknown packing 'longest'")
        assertError(base.replacingOccurrences(of: "mode: per_source", with: "mode: sometimes"), line: 11, contains: "unknown mode")
        assertError(base.replacingOccurrences(of: "${data}/code", with: "${missing}/code"), line: 14, contains: "parameter 'missing' has no value")
        assertError(base.replacingOccurrences(of: "tokens: 20_000_000_000", with: "tokens: lots"), line: 10, contains: "expected an integer")
        assertError(base.replacingOccurrences(of: "  - name: 64k", with: "  - name: 64k\n    piece: 3"), line: 9, contains: "unknown key")
        assertError("name: [", line: 2, contains: "YAML")
    }

    func testPieceLengthMustDivideTheSequenceLength() {
        let text = base.replacingOccurrences(of: "packing: long", with: "packing: long\n        piece_length: 30000")
        assertError(text, line: 17, contains: "must divide")
    }

    func testUnknownSetParameterIsRefused() {
        XCTAssertThrowsError(try RecipeParser.parse(base, file: "r.yaml", overrides: ["nope": "1"]))
    }

    func testShippedRecipesParse() throws {
        let dir = TestData.repoRoot + "/recipes"
        // train-*.yaml are training recipes (TrainingTests parse those).
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("train-") }
        XCTAssertGreaterThanOrEqual(names.count, 1)
        for name in names {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            // Every parameter has a default; paths need not exist to parse.
            XCTAssertNoThrow(try RecipeParser.parse(text, file: name), name)
        }
    }
}
