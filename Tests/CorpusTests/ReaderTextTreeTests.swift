import Foundation
import XCTest
@testable import Corpus

/// Plain-text trees: sorted walk, grouped books, invalid UTF-8 skipped, symlink loops survived.
final class ReaderTextTreeTests: XCTestCase {
    private func makeTree() throws -> String {
        let root = try ReaderFixtures.tempDirectory()
        try ReaderFixtures.write("Chapter 2", to: root + "/book-b/ch02.txt")
        try ReaderFixtures.write("Chapter 1", to: root + "/book-b/ch01.txt")
        try ReaderFixtures.write("Appendix", to: root + "/book-b/extra/z.txt")
        try ReaderFixtures.write("Only chapter", to: root + "/book-a/01.txt")
        try ReaderFixtures.write([0x66, 0xC3, 0x28], to: root + "/book-a/02.txt")  // invalid UTF-8
        try ReaderFixtures.write("loose", to: root + "/note.txt")
        try ReaderFixtures.write("", to: root + "/empty.txt")
        // A symlink back to the root: must not loop forever.
        try FileManager.default.createSymbolicLink(atPath: root + "/book-b/loop", withDestinationPath: root)
        // A symlink to a sibling directory is followed (it is not a loop).
        try FileManager.default.createSymbolicLink(atPath: root + "/book-b/alias", withDestinationPath: root + "/book-a")
        return root
    }

    func testGroupedModeJoinsChaptersInSortedOrder() throws {
        let root = try makeTree()
        let reader = TextTreeReader(root: root, mode: .grouped)
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map(\.text).prefix(2), ["Only chapter", "Only chapter\n\nChapter 1\n\nChapter 2\n\nAppendix"])
        XCTAssertEqual(docs.map(\.source).prefix(2), [root + "/book-a", root + "/book-b"])
        XCTAssertEqual(docs.last?.text, "loose")
        XCTAssertEqual(docs.count, 3)
        // book-b/alias is book-a followed through a symlink: its bad file is reported there too.
        XCTAssertEqual(reader.skipped.map(\.reason).sorted(), ["empty", "invalid UTF-8", "invalid UTF-8", "symlink loop"])
        XCTAssert(reader.skipped.contains(SkipRecord(file: root + "/book-b/loop", reason: "symlink loop")))
        XCTAssert(reader.skipped.contains(SkipRecord(file: root + "/book-a/02.txt", reason: "invalid UTF-8")))
    }

    func testPerFileModeIsSortedAndDeterministic() throws {
        let root = try makeTree()
        let reader = TextTreeReader(root: root, mode: .perFile, extensions: [".txt"])
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map { $0.metadata["relative_path"]! },
                       ["book-a/01.txt", "book-b/ch01.txt", "book-b/ch02.txt", "book-b/extra/z.txt", "note.txt"])
        XCTAssertEqual(try TextTreeReader(root: root, extensions: [".txt"]).readAll(), docs)
        // book-b/alias is book-a again: read once (under book-a, first in sorted order).
        XCTAssertEqual(reader.skipped.map(\.reason).sorted(),
                       ["directory already read via another path", "empty", "invalid UTF-8", "symlink loop"])
    }
}
