import Foundation
import XCTest
@testable import Model

enum ModelTestData {
    /// The repository root, found through symlinks (the tests may be built from a package that links
    /// Tests/ModelTests in).
    static let repoRoot: String = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static let fixtures = repoRoot + "/Tests/Fixtures"

    static func configURL(_ name: String) -> URL { URL(fileURLWithPath: fixtures + "/configs/" + name + ".json") }

    static func document(_ name: String) throws -> ConfigDocument { try ConfigDocument(contentsOf: configURL(name)) }

    static func json(_ text: String) throws -> ConfigJSON { try ConfigJSONParser.parse(Array(text.utf8)) }

    /// A config.json object with a small Llama body and the given extra keys (JSON text of members).
    static func llamaJSON(_ extra: String = "", headDim: Int = 64, maxPositions: Int = 8192) throws -> ConfigJSON {
        try json("""
        {"model_type": "llama", "hidden_size": \(headDim * 4), "num_attention_heads": 4, "num_key_value_heads": 2,
         "num_hidden_layers": 2, "intermediate_size": 64, "vocab_size": 100, "max_position_embeddings": \(maxPositions)\(extra.isEmpty ? "" : ", " + extra)}
        """)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("longctx-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Asserts that `body` throws a ConfigError with this key and problem.
func assertConfigError<T>(_ body: @autoclosure () throws -> T, key: String, _ problem: ConfigProblem,
                          file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(key): \(problem)", file: file, line: line)
    } catch let error as ConfigError {
        XCTAssertEqual(error.key, key, "\(error)", file: file, line: line)
        XCTAssertEqual(error.problem, problem, "\(error)", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
