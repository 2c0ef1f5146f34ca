import Foundation
import XCTest
@testable import Corpus

/// Code repositories: one document per repo, seeded order, vendored/binary/large files skipped.
final class ReaderCodeRepoTests: XCTestCase {
    private func makeRepo() throws -> String {
        let root = try ReaderFixtures.tempDirectory() + "/myrepo"
        for i in 0..<12 { try ReaderFixtures.write("let x\(i) = \(i)", to: root + "/Sources/File\(i).swift") }
        try ReaderFixtures.write("README", to: root + "/README.md")
        try ReaderFixtures.write("vendored", to: root + "/vendor/lib.c")
        try ReaderFixtures.write("deps", to: root + "/node_modules/x/index.js")
        try ReaderFixtures.write("min", to: root + "/web/app.min.js")
        try ReaderFixtures.write("{}", to: root + "/package-lock.json")
        try ReaderFixtures.write("lock", to: root + "/Cargo.lock")
        try ReaderFixtures.write([0x89, 0x50, 0x4E, 0x47, 0, 0, 1], to: root + "/logo.png")
        try ReaderFixtures.write([0x61, 0xFF, 0x62], to: root + "/latin1.txt")
        try ReaderFixtures.write(String(repeating: "a", count: 2000), to: root + "/big.txt")
        return root
    }

    private let smallCap = CodeRepoReader.Options(seed: 1, filter: RepoFilter(maxFileBytes: 1000))

    private func paths(_ document: Document) -> [String] {
        document.text.split(separator: "\n").filter { $0.hasPrefix("# path: ") }.map { String($0.dropFirst(8)) }
    }

    func testDirectoryRepoSkipsAndFormat() throws {
        let root = try makeRepo()
        let reader = CodeRepoReader(repository: root, options: smallCap)
        let docs = try reader.readAll()
        XCTAssertEqual(docs.count, 1)
        let doc = docs[0]
        XCTAssertEqual(Set(paths(doc)), Set((0..<12).map { "Sources/File\($0).swift" } + ["README.md"]))
        XCTAssert(doc.text.contains("# path: README.md\nREADME\n\n"))
        XCTAssertEqual(doc.metadata["repo"], "myrepo")
        XCTAssertEqual(doc.metadata["files"], "13")
        let reasons = Dictionary(uniqueKeysWithValues: reader.skipped.map { ($0.file.replacingOccurrences(of: root + "/", with: ""), $0.reason) })
        XCTAssertEqual(reasons["vendor/lib.c"], "vendored or generated (vendor/)")
        XCTAssertEqual(reasons["node_modules/x/index.js"], "vendored or generated (node_modules/)")
        XCTAssertEqual(reasons["web/app.min.js"], "generated (.min.js)")
        XCTAssertEqual(reasons["package-lock.json"], "lock file")
        XCTAssertEqual(reasons["Cargo.lock"], "lock file")
        XCTAssertEqual(reasons["logo.png"], "binary (NUL byte)")
        XCTAssertEqual(reasons["latin1.txt"], "binary (invalid UTF-8)")
        XCTAssert(reasons["big.txt"]?.hasPrefix("too large") == true)
        XCTAssertEqual(reasons.count, 8)
    }

    func testSeedDeterminism() throws {
        let root = try makeRepo()
        let a = try CodeRepoReader(repository: root, options: smallCap).readAll()
        let b = try CodeRepoReader(repository: root, options: smallCap).readAll()
        XCTAssertEqual(a, b)
        var other = smallCap
        other.seed = 2
        let c = try CodeRepoReader(repository: root, options: other).readAll()
        XCTAssertNotEqual(paths(a[0]), paths(c[0]))
        XCTAssertEqual(Set(paths(a[0])), Set(paths(c[0])))
    }

    func testSplitMixIsStable() {
        // Reference values of SplitMix64 seeded with 0 (as in Vigna's splitmix64.c).
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(stableHash(""), 0xCBF2_9CE4_8422_2325)
    }

    /// The same tree committed to a bare repository gives the same document as the directory.
    func testBareGitMatchesDirectory() throws {
        let root = try makeRepo()
        let work = root + "/.."
        for args in [["git", "init", "-q", "myrepo"], ["git", "-C", "myrepo", "add", "-A"],
                     ["git", "-C", "myrepo", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"],
                     ["git", "clone", "-q", "--bare", "myrepo", "myrepo.git"]] {
            XCTAssertEqual(try ReaderFixtures.run(args, in: work), 0, "\(args)")
        }
        let fromDir = try CodeRepoReader(repository: root, options: smallCap).readAll()
        let bareReader = CodeRepoReader(repository: work + "/myrepo.git", options: smallCap)
        let fromGit = try bareReader.readAll()
        XCTAssertEqual(fromGit.map(\.text), fromDir.map(\.text))
        XCTAssertEqual(bareReader.skipped.count, 8)
    }

    func testRealBareRepository() throws {
        let repo = "/opt/swift-packages/apple/swift-argument-parser.git"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: repo + "/HEAD"), "no \(repo)")
        let reader = CodeRepoReader(repository: repo, options: .init(seed: 42))
        let docs = try reader.readAll()
        XCTAssertEqual(docs.count, 1)
        let doc = docs[0]
        XCTAssertEqual(doc.metadata["repo"], "swift-argument-parser")
        XCTAssert(doc.text.contains("# path: Package.swift\n"))
        XCTAssertGreaterThan(doc.text.utf8.count, 100_000)
        XCTAssertFalse(paths(doc).contains { $0.hasSuffix("Package.resolved") })
        let again = try CodeRepoReader(repository: repo, options: .init(seed: 42)).readAll()
        XCTAssertEqual(again, docs)
        let reseeded = try CodeRepoReader(repository: repo, options: .init(seed: 43)).readAll()
        XCTAssertNotEqual(paths(reseeded[0]), paths(doc))
    }

    func testNotARepositoryThrows() {
        XCTAssertThrowsError(try CodeRepoReader(repository: "/nonexistent/repo").readAll())
    }
}
