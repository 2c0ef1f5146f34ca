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

    /// Shards are compressed with several zstd workers on a many-core build: the bytes must not depend on how
    /// many (20 MB of token-like data: several of zstd's jobs at level 3; little-endian like MDS on x86 and ARM).
    func testCompressedBytesDoNotDependOnTheWorkerCount() throws {
        var state: UInt64 = 7
        let tokens = (0..<(5 << 20)).map { _ -> UInt32 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: (state >> 33) % 3000)
        }
        let data = tokens.withUnsafeBytes { Array($0) }
        let one = Zstd.compress(data, workers: 1)
        XCTAssertLessThan(one.count, data.count / 2)
        XCTAssertEqual(Zstd.compress(data, workers: 2), one)
        XCTAssertEqual(Zstd.compress(data, workers: 5), one)
        XCTAssertEqual(try Zstd.decompress(one, source: "t"), data)
    }
}
