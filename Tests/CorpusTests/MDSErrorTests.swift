import Corpus
import Foundation
import XCTest

/// Damaged datasets must fail with an MDSError naming the file (and offset), never crash.
final class MDSErrorTests: XCTestCase {
    func testMissingIndex() {
        let dir = MDSTestSupport.tempDir()
        defer { MDSTestSupport.remove(dir) }
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            XCTAssertEqual(e as? MDSError, .missingIndex(path: dir + "/index.json"))
        }
    }

    func testGarbageIndex() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        try Data("{\"version\": 2, \"shards\": [{}]}".utf8).write(to: URL(fileURLWithPath: dir + "/index.json"))
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            guard case .badIndex(let p, _) = e as? MDSError else { return XCTFail("\(e)") }
            XCTAssertEqual(p, dir + "/index.json")
        }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: dir + "/index.json"))
        XCTAssertThrowsError(try MDSDataset(directory: dir))
    }

    /// Rewrites index.json through a text substitution.
    func editIndex(_ dir: String, _ from: String, _ to: String) throws {
        let url = URL(fileURLWithPath: dir + "/index.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(from))
        try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: url)
    }

    func testUnknownEncoding() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        try editIndex(dir, "\"str\"", "\"jpeg\"")
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            XCTAssertEqual(e as? MDSError, .unknownEncoding(column: "domain", encoding: "jpeg"))
        }
    }

    func testTruncatedShard() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        let path = dir + "/shard.00001.mds"
        XCTAssertEqual(truncate(path, 300), 0)
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            guard case .corruptShard(let p, let offset, let reason) = e as? MDSError else { return XCTFail("\(e)") }
            XCTAssertEqual(p, path)
            XCTAssertEqual(offset, 300)
            XCTAssertTrue(reason.contains("truncated"), reason)
            XCTAssertTrue("\(e)".contains("shard.00001.mds"))
        }
        XCTAssertEqual(truncate(path, 6), 0)
        XCTAssertThrowsError(try MDSDataset(directory: dir))
    }

    func testCorruptColumnSizeInsideSample() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        let url = URL(fileURLWithPath: dir + "/shard.00000.mds")
        var bytes = [UInt8](try Data(contentsOf: url))
        let begin = Int(bytes[4]) | Int(bytes[5]) << 8
        bytes[begin + 3] = 0x7F  // first column's size becomes huge
        try Data(bytes).write(to: url)
        let ds = try MDSDataset(directory: dir)
        XCTAssertNoThrow(try ds.sample(at: 5))
        XCTAssertThrowsError(try ds.sample(at: 0)) { e in
            guard case .corruptShard(let p, let offset, _) = e as? MDSError else { return XCTFail("\(e)") }
            XCTAssertEqual(p, url.path)
            XCTAssertGreaterThan(offset, begin)
        }
    }

    func testSampleCountMismatch() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        try editIndex(dir, "\"samples\": 4", "\"samples\": 5")
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            guard case .corruptShard(_, 0, let r) = e as? MDSError else { return XCTFail("\(e)") }
            XCTAssertTrue(r.contains("index.json says 5"), r)
        }
    }

    /// A zstd dataset as streaming writes it: rejected by name unless a decompressor is supplied.
    func testCompressedShardSeam() throws {
        let dir = MDSTestSupport.copyFixture("prolong")
        defer { MDSTestSupport.remove(dir) }
        let fm = FileManager.default
        for k in 0..<3 {
            try fm.moveItem(atPath: dir + "/shard.0000\(k).mds", toPath: dir + "/shard.0000\(k).mds.zstd")
        }
        // Point each zip_data at the (here uncompressed) .zstd file.
        let url = URL(fileURLWithPath: dir + "/index.json")
        var index = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        index["shards"] = (index["shards"] as! [[String: Any]]).map { s in
            var s = s
            var zip = s["raw_data"] as! [String: Any]
            zip["basename"] = (zip["basename"] as! String) + ".zstd"
            s["zip_data"] = zip
            s["compression"] = "zstd"
            return s
        }
        try JSONSerialization.data(withJSONObject: index).write(to: url)
        XCTAssertThrowsError(try MDSDataset(directory: dir, decompressor: nil)) { e in
            XCTAssertEqual(e as? MDSError, .compressedShard(path: dir + "/shard.00000.mds.zstd", compression: "zstd"))
            XCTAssertTrue("\(e)".contains("compressed shards not supported yet"))
        }
        // The standard zstd decompressor refuses bytes that are not zstd, naming the shard.
        XCTAssertThrowsError(try MDSDataset(directory: dir)) { e in
            XCTAssert("\(e)".contains("shard.00000.mds.zstd") && "\(e)".contains("zstd"), "\(e)")
        }
        let ds = try MDSDataset(directory: dir, decompressor: { name, data in
            XCTAssertEqual(name, "zstd")
            return data
        })
        XCTAssertEqual(try MDSTestSupport.readAll(ds), try MDSTestSupport.expected("prolong").values)
    }
}
