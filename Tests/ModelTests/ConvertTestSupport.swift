import Foundation
import TestSupport
import XCTest

/// Reference Pythons, the longctx binary, scripts and scratch directories for the model-directory
/// and convert tests. A missing venv or asset skips a test, or fails it when LONGCTX_REQUIRE_ASSETS=1.
enum ConvertTestSupport {
    static var requireAssets: Bool { ProcessInfo.processInfo.environment["LONGCTX_REQUIRE_ASSETS"] == "1" }

    static let smolLM2 = ModelTestData.repoRoot + "/.assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// transformers 5 with torch, gguf-py and safetensors.
    static func transformers5() throws -> String { try python(".venv-torch") }

    /// transformers 4.57 with torch (no gguf-py).
    static func transformers4() throws -> String { try python(".venv-mds") }

    static func python(_ venv: String) throws -> String {
        let python = ModelTestData.repoRoot + "/" + venv + "/bin/python"
        if FileManager.default.isExecutableFile(atPath: python) { return python }
        if requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but \(venv) is missing") }
        throw XCTSkip("no \(venv) with transformers")
    }

    static func requireSmolLM2() throws -> String {
        if access(smolLM2, R_OK) == 0 { return smolLM2 }
        if requireAssets { XCTFail("LONGCTX_REQUIRE_ASSETS=1 but \(smolLM2) is missing") }
        throw XCTSkip("no model at \(smolLM2): run scripts/setup-assets.sh")
    }

    static func longctxBinary() throws -> String { try LongctxBinary.path() }

    /// Runs a program; returns stdout, failing the test (with stderr's tail) on a non-zero exit.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let run = try runProgram(executable, arguments)
        XCTAssertEqual(run.status, 0, "\(executable) \(arguments.joined(separator: " ")):\n\(run.stderr.suffix(4000))",
                       file: file, line: line)
        return run.stdout
    }

    static func runScript(_ python: String, _ script: String, _ arguments: [String],
                          file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let data = try run(python, [ModelTestData.repoRoot + "/scripts/" + script] + arguments, file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(script) printed no JSON object")
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "longctx-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Texts that exercise a tokenizer's edges: code, numbers, many scripts and emoji, special tokens
    /// inside text, runs of whitespace and CRLF, nothing at all.
    static let tokenizerTexts = [
        "def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\n\n\nclass A:\n\tpass  # tab",
        "Prices rose 12.5% to $1,234,567 in 2024 (up from 987654321); pi ~ 3.14159, 1e-5, 0x1F.",
        "Ünïcödé: naïve café, 日本語のテキスト, 中文字符, emoji 😀👍🏽🇫🇷, Ελληνικά, русский, עברית, العربية.",
        "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\nHi<|endoftext|>",
        "  leading spaces\t\ttabs\r\nCRLF   trailing   ",
        "<|endoftext|>text<empty_output> <file_sep>x<s></s><unk>",
        "I'm sure they'll say it's fine, isn't it? DON'T SHOUT!!! ... --- ***",
        "",
    ]

    static func writeTexts(to directory: String) throws -> String {
        let path = directory + "/texts.json"
        try JSONSerialization.data(withJSONObject: tokenizerTexts).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Largest |a - b| over the largest |b|: one number for "same logits".
    static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        let scale = max(b.map(abs).max() ?? 0, 1e-6)
        return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale
    }

    static func argmaxRows(_ values: [Float], columns: Int) -> [Int] {
        stride(from: 0, to: values.count, by: columns).map { start in
            let row = values[start..<start + columns]
            return row.indices.max { row[$0] < row[$1] }! - start
        }
    }
}
