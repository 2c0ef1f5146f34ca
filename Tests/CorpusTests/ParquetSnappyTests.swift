import XCTest
@testable import Corpus

/// The Snappy raw-block decoder on hand-assembled blocks (format_description.txt of google/snappy).
final class ParquetSnappyTests: XCTestCase {
    private func decompress(_ block: [UInt8], expectedLength: Int? = nil) throws -> [UInt8] {
        try block.withUnsafeBytes { try Snappy.decompress($0, expectedLength: expectedLength) }
    }

    private func assertFails(_ block: [UInt8], _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try decompress(block), line: line) { error in
            XCTAssertTrue((error as? ParquetError)?.message.contains(message) == true, "\(error)", line: line)
        }
    }

    func testLiterals() throws {
        XCTAssertEqual(try decompress([0]), [])
        XCTAssertEqual(try decompress([5, 4 << 2] + Array("hello".utf8)), Array("hello".utf8))
        // Length 70 does not fit the tag: tag 60 means one extra byte holding length-1.
        let long = [UInt8](repeating: 0x61, count: 70)
        XCTAssertEqual(try decompress([70, 60 << 2, 69] + long), long)
    }

    func testCopiesIncludingOverlaps() throws {
        // "ab" then a 1-byte-offset copy of 6 at distance 2 repeats the pair (overlapping copy).
        XCTAssertEqual(try decompress([8, 1 << 2, 0x61, 0x62, 0b000_010_01, 2]), Array("abababab".utf8))
        // Distance 1 copies run-length encode a single byte; 2-byte offset form, length 10.
        XCTAssertEqual(try decompress([11, 0, 0x7A, (9 << 2) | 2, 1, 0]), [UInt8](repeating: 0x7A, count: 11))
        // 4-byte offset form, non-overlapping copy of 3 from distance 4.
        XCTAssertEqual(try decompress([7, 3 << 2] + Array("wxyz".utf8) + [(2 << 2) | 3, 4, 0, 0, 0]), Array("wxyzwxy".utf8))
    }

    func testCorruptBlocksThrow() {
        assertFails([4, 0, 0x61, 0b000_000_01, 0], "copy offset 0")
        assertFails([6, 0, 0x61, 0b000_001_01, 2], "copy offset 2 outside the 1 bytes written")
        assertFails([2, 2 << 2, 0x61, 0x62, 0x63], "literal overruns")
        assertFails([9, 4 << 2, 0x61], "exceeds")  // literal longer than the input
        assertFails([9, 0, 0x61], "produced 1 of 9 bytes")
        assertFails([0x80], "unexpected end")
        XCTAssertThrowsError(try decompress([1, 0, 0x61], expectedLength: 2))
    }
}
