import Foundation
import XCTest
@testable import DataEngine

/// Small corpora written per test, a committed tokenizer, and directory comparison.
enum TestData {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let tokenizer = repoRoot + "/Tests/Fixtures/tokenizers/gpt2-style/tokenizer.json"

    static func tempDirectory(_ name: String = #function) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/longctx-data-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A document of about `words` words whose first word names it ("d17"), so tests can tell
    /// which documents ended up where.
    static func document(_ id: String, words: Int, seed: Int) -> String {
        let vocabulary = ["the", "river", "code", "of", "long", "context", "model", "data", "packing", "sequence",
                          "token", "book", "chapter", "function", "return", "value", "and", "with", "for", "a"]
        var state = UInt64(truncatingIfNeeded: seed &* 2_654_435_761 &+ 1)
        var out = [id]
        for _ in 0..<words {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.append(vocabulary[Int(state >> 59) % vocabulary.count])
        }
        return out.joined(separator: " ") + "."
    }

    static func jsonl(_ texts: [String]) -> String {
        texts.map { text -> String in
            let data = try! JSONSerialization.data(withJSONObject: ["text": text])
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Every file under `root` (relative path -> bytes); hidden state included.
    static func tree(_ root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let rel = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDirectory)
            if !isDirectory.boolValue { out[rel] = FileManager.default.contents(atPath: root + "/" + rel) }
        }
        return out
    }

    static func assertSameTree(_ a: String, _ b: String, ignoring: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let ta = try tree(a).filter { !ignoring.contains($0.key) }, tb = try tree(b).filter { !ignoring.contains($0.key) }
        XCTAssertEqual(Set(ta.keys), Set(tb.keys), "file sets differ", file: file, line: line)
        for (key, value) in ta where tb[key] != value {
            XCTFail("\(key) differs between \(a) and \(b)", file: file, line: line)
        }
    }

    static func build(_ recipeText: String, out: String, worker: Int = 0, workers: Int = 1, threads: Int = 2, strict: Bool = false,
                      hook: @escaping (String, Int) throws -> Void = { _, _ in }) throws -> Manifest? {
        let recipe = try RecipeParser.parse(recipeText, file: "test.yaml")
        var options = DataBuilder.Options(output: out, threads: threads)
        options.worker = worker
        options.workers = workers
        options.strict = strict
        options.afterCheckpoint = hook
        return try DataBuilder(recipe: recipe, options: options).run()
    }
}

/// Thrown by the checkpoint hook to stop a build the way a kill would.
struct SimulatedKill: Error {}
