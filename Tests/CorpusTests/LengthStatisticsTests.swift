import XCTest
@testable import Corpus

final class LengthStatisticsTests: XCTestCase {
    func testBucketsAndShares() {
        var s = LengthStatistics()
        for length in [10, 1023, 1024, 5000, 70_000, 600_000, 2_000_000] { s.add(documentLength: length) }
        XCTAssertEqual(s.documents, 7)
        XCTAssertEqual(s.tokens, 2_677_057)
        XCTAssertEqual(s.longestDocument, 2_000_000)
        XCTAssertEqual(s.bucketDocuments[0], 2, "10 and 1023 are below 1K")
        XCTAssertEqual(s.bucketDocuments[1], 1, "1024 starts the 1K bucket")
        XCTAssertEqual(s.bucketDocuments[3], 1, "5000 is in 4K..8K")
        XCTAssertEqual(s.bucketDocuments.last, 1, "2M is in the open 1M+ bucket")
        XCTAssertEqual(s.bucketTokens.reduce(0, +), s.tokens)
        // >= 4K: 5000 + 70000 + 600000 + 2000000; >= 512K: 600000 + 2000000.
        XCTAssertEqual(s.tokensAtLeast[0], 2_675_000)
        XCTAssertEqual(s.tokensAtLeast[6], 2_600_000)
        XCTAssertEqual(s.shareAtLeast(6), 2_600_000.0 / 2_677_057.0, accuracy: 1e-12)
        XCTAssertEqual(LengthStatistics.label(65536), "64K")
        XCTAssertEqual(LengthStatistics(), LengthStatistics())
        XCTAssertEqual(LengthStatistics().shareAtLeast(0), 0)
    }
}
