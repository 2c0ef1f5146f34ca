import XCTest
@testable import Corpus

/// .zst and .gz streams decode in chunks and fail loudly, with the offset, when cut short.
final class ReaderCompressionTests: XCTestCase {
    private let texts = (0..<2000).map { "document number \($0) with some words" }

    func testZstdRoundTrip() throws {
        let dir = try ReaderFixtures.tempDirectory()
        try ReaderFixtures.write(ReaderFixtures.zstd(ReaderFixtures.jsonl(texts)), to: dir + "/a.jsonl.zst")
        let reader = JSONLinesReader(path: dir + "/a.jsonl.zst", options: .init(metadataFields: ["id"], chunkSize: 4096))
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map(\.text), texts)
        XCTAssertEqual(docs[5].location, dir + "/a.jsonl.zst:6")
        XCTAssertEqual(docs[0].metadata, ["id": "7"])
        XCTAssertEqual(reader.skipped, [])
    }

    func testConcatenatedZstdFrames() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let bytes = ReaderFixtures.zstd(ReaderFixtures.jsonl(["a", "b"])) + ReaderFixtures.zstd(ReaderFixtures.jsonl(["c"]))
        try ReaderFixtures.write(bytes, to: dir + "/a.jsonl.zst")
        XCTAssertEqual(try JSONLinesReader(path: dir + "/a.jsonl.zst").readAll().map(\.text), ["a", "b", "c"])
    }

    func testGzipRoundTripAndMultiMember() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let first = ReaderFixtures.gzip(ReaderFixtures.jsonl(Array(texts.prefix(1000))))
        let second = ReaderFixtures.gzip(ReaderFixtures.jsonl(Array(texts.suffix(1000))))
        try ReaderFixtures.write(first + second, to: dir + "/a.jsonl.gz")
        let docs = try JSONLinesReader(path: dir + "/a.jsonl.gz", options: .init(chunkSize: 1000)).readAll()
        XCTAssertEqual(docs.map(\.text), texts)
    }

    func testTruncatedZstdNamesFileAndOffset() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let full = ReaderFixtures.zstd(ReaderFixtures.jsonl(texts))
        let path = dir + "/cut.jsonl.zst"
        try ReaderFixtures.write(Array(full.prefix(full.count / 2)), to: path)
        XCTAssertThrowsError(try JSONLinesReader(path: path).readAll()) { error in
            XCTAssertEqual(error as? ReaderError, .truncated(path: path, format: "zstd", offset: full.count / 2))
            XCTAssert("\(error)".contains(path) && "\(error)".contains("\(full.count / 2)"), "\(error)")
        }
    }

    func testTruncatedGzipNamesFileAndOffset() throws {
        let dir = try ReaderFixtures.tempDirectory()
        let full = ReaderFixtures.gzip(ReaderFixtures.jsonl(texts))
        let path = dir + "/cut.jsonl.gz"
        try ReaderFixtures.write(Array(full.prefix(full.count - 5)), to: path)  // inside the trailer
        XCTAssertThrowsError(try JSONLinesReader(path: path).readAll()) { error in
            XCTAssertEqual(error as? ReaderError, .truncated(path: path, format: "gzip", offset: full.count - 5))
        }
    }

    func testCorruptStreamsThrow() throws {
        let dir = try ReaderFixtures.tempDirectory()
        var zst = ReaderFixtures.zstd(ReaderFixtures.jsonl(texts))
        zst[0] ^= 0xFF  // bad magic number
        try ReaderFixtures.write(zst, to: dir + "/bad.zst")
        XCTAssertThrowsError(try JSONLinesReader(path: dir + "/bad.zst").readAll()) { error in
            guard case .corrupt(let path, "zstd", _, _)? = error as? ReaderError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, dir + "/bad.zst")
        }
        var gz = ReaderFixtures.gzip(ReaderFixtures.jsonl(texts))
        gz[gz.count - 6] ^= 0xFF  // CRC mismatch in the trailer
        try ReaderFixtures.write(gz, to: dir + "/bad.gz")
        XCTAssertThrowsError(try JSONLinesReader(path: dir + "/bad.gz").readAll()) { error in
            guard case .corrupt(_, "gzip", let offset, _)? = error as? ReaderError else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(offset, 0)
        }
    }

    func testMissingFileThrows() {
        XCTAssertThrowsError(try JSONLinesReader(path: "/nonexistent/x.jsonl").readAll()) { error in
            guard case .cannotOpen("/nonexistent/x.jsonl", _)? = error as? ReaderError else { return XCTFail("\(error)") }
        }
    }
}
