import Corpus
import Foundation
import XCTest

/// Our writer -> our reader, including shard rotation and argument checking.
final class MDSRoundTripTests: XCTestCase {
    static func packed(_ i: Int) -> [String: MDSValue] {
        let n = 5 + i % 17
        let ids = (0..<n).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761 &+ i) }
        let cut = UInt32(n / 2)
        return [
            "input_ids": .uint32Array(ids),
            "indices": .uint32Array([0, cut, cut, UInt32(n)], shape: [2, 2]),
            "domain": .string(i % 2 == 0 ? "web" : "书"),
            "length": .int(Int64(n)),
        ]
    }

    static let prolongColumns = [("input_ids", "ndarray:uint32"), ("indices", "ndarray:uint32"), ("domain", "str"), ("length", "int")]

    /// A checkpoint's buffered samples read back exactly; a damaged buffer file is refused at its byte offset.
    func testBufferedSamplesRoundTripAndDamageIsReported() throws {
        let dir = MDSTestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try MDSWriter(directory: dir, columns: Self.prolongColumns, sizeLimit: 1 << 20)
        for i in 0..<3 { try writer.write(sample: Self.packed(i)) }
        let data = writer.bufferedData
        let samples = try MDSWriter.bufferedSamples(from: data, path: "b")
        XCTAssertEqual(samples.count, 3)
        let resumed = try MDSWriter(directory: dir + "/resumed", columns: Self.prolongColumns, sizeLimit: 1 << 20, buffered: samples)
        XCTAssertEqual(resumed.bufferedData, data)
        XCTAssertThrowsError(try MDSWriter.bufferedSamples(from: Array(data.dropLast()), path: "b")) { error in
            guard case .corruptShard(let path, let offset, _) = error as? MDSError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "b")
            XCTAssertGreaterThan(offset, 0, "the offset of the last, cut sample")
        }
        XCTAssertThrowsError(try MDSWriter.bufferedSamples(from: [7, 0], path: "b"))
    }

    func testRoundTripAcrossShards() throws {
        let dir = MDSTestSupport.tempDir()
        defer { MDSTestSupport.remove(dir) }
        let w = try MDSWriter(directory: dir, columns: Self.prolongColumns, sizeLimit: 1000)
        let samples = (0..<50).map(Self.packed)
        for s in samples { try w.write(sample: s) }
        try w.finish()
        let ds = try MDSDataset(directory: dir)
        XCTAssertGreaterThan(ds.index.shards.count, 3)
        XCTAssertEqual(ds.count, 50)
        XCTAssertEqual(try MDSTestSupport.readAll(ds), samples)
        XCTAssertEqual(try ds.sample(at: 37), samples[37])
        for shard in ds.index.shards {
            XCTAssertLessThanOrEqual(shard.rawData.bytes, 1000)
            XCTAssertEqual(shard.columnNames, ["domain", "indices", "input_ids", "length"])
        }
        // No temp files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertFalse(names.contains { $0.contains(".tmp-") })
    }

    func testEmptyDatasetAndNoSizeLimit() throws {
        let dir = MDSTestSupport.tempDir()
        defer { MDSTestSupport.remove(dir) }
        let w = try MDSWriter(directory: dir, columns: [("x", "str")], sizeLimit: nil)
        try w.finish()
        let ds = try MDSDataset(directory: dir)
        XCTAssertEqual(ds.count, 0)
        var it = ds.makeSampleIterator()
        XCTAssertNil(try it.next())
    }

    func testRejectsBadSamples() throws {
        let dir = MDSTestSupport.tempDir()
        defer { MDSTestSupport.remove(dir) }
        let w = try MDSWriter(directory: dir, columns: [("a", "uint8"), ("b", "ndarray:uint32"), ("c", "ndarray:int8:2")])
        let ok: [String: MDSValue] = ["a": .uint(1), "b": .uint32Array([1]), "c": .array(MDSArray(.int8([1, 2]), shape: [2]))]
        try w.write(sample: ok)
        func expectBad(_ change: (inout [String: MDSValue]) -> Void, _ column: String, line: UInt = #line) {
            var s = ok
            change(&s)
            XCTAssertThrowsError(try w.write(sample: s), line: line) { e in
                guard case .badValue(let c, _) = e as? MDSError else { return XCTFail("\(e)", line: line) }
                XCTAssertEqual(c, column, line: line)
            }
        }
        expectBad({ $0["a"] = .uint(256) }, "a")
        expectBad({ $0["a"] = .string("x") }, "a")
        expectBad({ $0["a"] = nil }, "a")
        expectBad({ $0["zz"] = .int(1) }, "zz")
        expectBad({ $0["b"] = .int64Array([1]) }, "b")  // wrong dtype
        expectBad({ $0["b"] = .uint32Array([]) }, "b")  // empty arrays are not encodable
        expectBad({ $0["c"] = .array(MDSArray(.int8([1, 2, 3]), shape: [3])) }, "c")  // fixed shape
        XCTAssertThrowsError(try MDSWriter(directory: dir + "/x", columns: [("a", "pil")]))
        try w.finish()
        XCTAssertThrowsError(try MDSWriter(directory: dir, columns: [("a", "str")]))  // index.json exists
    }

    /// Dynamic-dtype `ndarray` stores a dtype code; shapes over 255 use a wider shape type.
    func testDynamicNDArrayLayout() throws {
        let dir = MDSTestSupport.tempDir()
        defer { MDSTestSupport.remove(dir) }
        let w = try MDSWriter(directory: dir, columns: [("a", "ndarray")])
        let big = MDSValue.array(MDSArray(.int16((0..<600).map(Int16.init)), shape: [2, 300]))
        try w.write(sample: ["a": big])
        try w.finish()
        let ds = try MDSDataset(directory: dir)
        XCTAssertEqual(try ds.sample(at: 0)["a"], big)
        let shard = try Data(contentsOf: URL(fileURLWithPath: dir + "/shard.00000.mds"))
        let begin = Int(shard[4]) | Int(shard[5]) << 8
        // [size:4][dtype 17][ndim 2 << 2 | uint16][2][300]
        XCTAssertEqual(Array(shard[(begin + 4)..<(begin + 10)]), [17, 2 << 2 | 1, 2, 0, 44, 1])
    }
}
