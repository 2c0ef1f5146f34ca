import Foundation
import TestSupport
import XCTest
import Tokenization
@testable import Evaluation

/// A fast tokenizer for sizing tests: a token is a run of letters or digits, or one other character, with the
/// whitespace before it; decoding concatenates. Ids are handed out on first sight.
final class HelmetTestTokenizer: TokenCounting, @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String: Int32] = [:]
    private var pieces: [String] = []

    func encode(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var current = ""
        var hasContent = false
        func emit() {
            if !current.isEmpty { out.append(id(current)) }
            current = ""
            hasContent = false
        }
        for c in text.unicodeScalars {
            if c.properties.isWhitespace {
                if hasContent { emit() }
                current.unicodeScalars.append(c)
            } else if c.properties.isAlphabetic || c.properties.numericType != nil {
                current.unicodeScalars.append(c)
                hasContent = true
            } else {
                if hasContent { emit() }
                current.unicodeScalars.append(c)
                emit()
            }
        }
        emit()
        return out
    }

    func decode(_ tokens: [Int32]) -> String {
        lock.lock()
        defer { lock.unlock() }
        return tokens.map { pieces[Int($0)] }.joined()
    }

    private func id(_ piece: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let known = ids[piece] { return known }
        let new = Int32(pieces.count)
        pieces.append(piece)
        ids[piece] = new
        return new
    }
}

enum HelmetTestPaths {
    /// The repository root, found through the real location of this file (the test may be built through links).
    static let repository: String = {
        let file = URL(fileURLWithPath: "\(#filePath)").resolvingSymlinksInPath()
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static func fixture(_ name: String) throws -> Any {
        let path = repository + "/Tests/Fixtures/helmet/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("\(path) is missing: run scripts/fixtures/helmet_metrics.py")
            throw XCTSkip("missing fixture")
        }
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The DeepSeek tokenizer asset; skips when it is missing unless LONGCTX_REQUIRE_ASSETS is set.
    static func deepseekTokenizer() throws -> Tokenizer {
        let assets = ProcessInfo.processInfo.environment["LONGCTX_ASSETS"] ?? repository + "/.assets"
        let path = assets + "/deepseek/tokenizer.json"
        try requireAssetFile(path)
        return try Tokenizer.load(path: path)
    }

    /// A temporary file holding `lines` joined by newlines.
    static func temporaryFile(_ name: String, _ lines: [String]) throws -> String {
        let dir = NSTemporaryDirectory() + "helmet-tests-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func jsonLine(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// Sentences of a made-up essay: periods at known places, enough variety to notice misplacement.
let helmetTestHaystack = (0..<60).map { i in
    "Sentence number \(i) talks about topic \(i % 7) and about startups, essays and programming languages. "
}.joined()
