import CCompression
import XCTest
@testable import Corpus

/// The system compression libraries link and work (install-deps.sh provides them on a fresh machine).
final class CompressionLinkTests: XCTestCase {
    func testZstdRoundTrip() {
        XCTAssert(Corpus.zstdVersion.hasPrefix("1."), Corpus.zstdVersion)
        let input = Array(String(repeating: "long context ", count: 1000).utf8)
        var compressed = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let size = ZSTD_compress(&compressed, compressed.count, input, input.count, 3)
        XCTAssertEqual(ZSTD_isError(size), 0)
        XCTAssertLessThan(size, input.count / 10)
        var output = [UInt8](repeating: 0, count: input.count)
        let back = ZSTD_decompress(&output, output.count, compressed, size)
        XCTAssertEqual(back, input.count)
        XCTAssertEqual(output, input)
    }
}
