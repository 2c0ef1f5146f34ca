import XCTest
@testable import Corpus

/// zstd-compressed MDS as mosaicml-streaming's MDSWriter(compression="zstd") writes it (only .mds.zstd
/// shards on disk; fixture made by scripts/make_mds_fixture.py).
final class MDSZstdTests: XCTestCase {
    func testReadsStreamingZstdShards() throws {
        let ds = try MDSDataset(directory: MDSTestSupport.fixtures.appendingPathComponent("prolong-zstd").path)
        XCTAssertEqual(ds.index.shards.first?.compression, "zstd")
        XCTAssertEqual(try MDSTestSupport.readAll(ds), try MDSTestSupport.expected("prolong").values)
    }

    func testZstdRoundTripAndTruncation() throws {
        let data = Array((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) })
        let frame = Zstd.compress(data)
        XCTAssertEqual(try Zstd.decompress(frame + Zstd.compress(data), source: "t"), data + data, "two frames")
        XCTAssertThrowsError(try Zstd.decompress(Array(frame.dropLast(10)), source: "cut.zst")) { e in
            XCTAssert("\(e)".hasPrefix("cut.zst: zstd error at compressed byte"), "\(e)")
        }
        XCTAssertThrowsError(try Zstd.decompress([1, 2, 3, 4, 5, 6, 7, 8], source: "junk"))
    }
}
