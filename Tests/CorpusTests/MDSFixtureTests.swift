import Corpus
import Foundation
import XCTest

/// Cross-checks against datasets written and decoded by mosaicml-streaming itself
/// (scripts/make_mds_fixture.py).
final class MDSFixtureTests: XCTestCase {
    func testReadsProLongFixture() throws {
        let ds = try MDSDataset(directory: MDSTestSupport.fixtures.appendingPathComponent("prolong").path)
        let expected = try MDSTestSupport.expected("prolong")
        XCTAssertEqual(ds.index.shards.count, expected.shards)
        XCTAssertEqual(ds.count, expected.samples.count)
        XCTAssertEqual(ds.columns.map(\.name), ["domain", "indices", "input_ids", "length"])
        XCTAssertEqual(try MDSTestSupport.readAll(ds), expected.values)
        // ProLong's indices are (start, end) rows covering input_ids.
        let s = try ds.sample(at: 4)
        let indices = try XCTUnwrap(s["indices"]?.arrayValue)
        XCTAssertEqual(indices.shape.last, 2)
        XCTAssertEqual(indices.uint32Values?.last.map(Int64.init), s["length"]?.intValue)
    }

    func testReadsEveryEncoding() throws {
        let ds = try MDSDataset(directory: MDSTestSupport.fixtures.appendingPathComponent("encodings").path)
        let expected = try MDSTestSupport.expected("encodings").values
        XCTAssertEqual(ds.count, expected.count)
        for i in 0..<ds.count {
            let got = try ds.sample(at: i)
            for (k, v) in expected[i] { XCTAssertEqual(got[k], v, "sample \(i) column \(k)") }
            XCTAssertEqual(Set(got.keys), Set(expected[i].keys))
        }
    }

    /// Our writer, fed the same samples and size limit, must produce the reference files byte for byte.
    func testWriterIsByteIdenticalToReference() throws {
        for name in ["prolong", "encodings"] {
            let ref = MDSTestSupport.fixtures.appendingPathComponent(name).path
            let refSet = try MDSDataset(directory: ref)
            let expected = try MDSTestSupport.expected(name)
            let out = MDSTestSupport.tempDir(name)
            defer { MDSTestSupport.remove(out) }
            let w = try MDSWriter(directory: out, columns: refSet.columns, sizeLimit: expected.size_limit)
            for s in expected.values { try w.write(sample: s) }
            try w.finish()
            var files = refSet.index.shards.map(\.rawData.basename)
            files.append("index.json")
            for f in files {
                let a = try Data(contentsOf: URL(fileURLWithPath: ref + "/" + f))
                let b = try Data(contentsOf: URL(fileURLWithPath: out + "/" + f))
                XCTAssertEqual(a, b, "\(name)/\(f) differs from the reference writer's")
            }
        }
    }
}
