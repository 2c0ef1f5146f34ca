import Foundation
import Formats
import XCTest

/// Reads files written by the reference library (scripts/make_safetensors_fixtures.py: PyPI
/// `safetensors`, `torch`, `huggingface_hub`) and checks every field against what it reported.
final class SafetensorsFixtureTests: XCTestCase {
    static let directory = FormatsTestSupport.fixtures + "/safetensors"

    func testEveryDTypeMatchesTheReference() throws {
        let file = try SafetensorsFile(path: Self.directory + "/dtypes.safetensors")
        let expected = try XCTUnwrap(try FormatsTestSupport.json(Self.directory + "/dtypes.json") as? [String: Any])
        XCTAssertEqual(file.headerSize, expected["header_size"] as? Int)
        XCTAssertEqual(file.dataOffset % 8, 0, "the reference pads the header to 8 bytes")
        XCTAssertEqual(file.metadata, expected["metadata"] as? [String: String])
        XCTAssertEqual(file.metadata?["note"], "héllo ✓")

        let tensors = try XCTUnwrap(expected["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(Set(file.tensors.map(\.name)), Set(tensors.keys))
        XCTAssertEqual(Set(file.tensors.map(\.dtype)), Set(SafetensorsDType.allCases), "every dtype is covered")
        for (name, e) in tensors {
            let info = try XCTUnwrap(file.tensor(named: name), name)
            XCTAssertEqual(info.dtype.rawValue, e["dtype"] as? String, name)
            XCTAssertEqual(info.shape, e["shape"] as? [Int], name)
            let offsets = try XCTUnwrap(e["data_offsets"] as? [Int])
            XCTAssertEqual(info.byteRange, (file.dataOffset + offsets[0])..<(file.dataOffset + offsets[1]), name)
            XCTAssertEqual(FormatsTestSupport.hex(file.data(info)), e["hex"] as? String, name)
            if let floats = e["floats"] as? [Any] {
                let ours = try file.floats(named: name)
                XCTAssertEqual(ours.count, floats.count, name)
                for (a, b) in zip(ours, floats) {
                    let reference: Float = switch b {
                    case let s as String: s == "inf" ? .infinity : -.infinity
                    default: Float(b as! Double)
                    }
                    XCTAssertEqual(a.bitPattern, reference.bitPattern, "\(name): \(a) vs \(b)")
                }
            } else {
                XCTAssertThrowsError(try file.floats(named: name)) { error in
                    XCTAssertTrue("\(error)".contains("does not convert to Float"), "\(error)")
                }
            }
        }
        XCTAssertEqual(file.tensor(named: "scalar")?.shape, [])
        XCTAssertEqual(try file.floats(named: "scalar"), [1.5])
        XCTAssertEqual(try file.floats(named: "empty"), [])
    }

    /// Tensors come back in data order, which is the reference writer's order.
    func testTensorsAreInDataOrder() throws {
        let file = try SafetensorsFile(path: Self.directory + "/dtypes.safetensors")
        let starts = file.tensors.map(\.byteRange.lowerBound)
        XCTAssertEqual(starts, starts.sorted())
        XCTAssertEqual(file.tensors.first?.name, "u64")
        XCTAssertEqual(file.tensors.last?.name, "bool")
        XCTAssertEqual(file.tensors.last?.byteRange.upperBound, file.fileSize)
    }

    func testShardedCheckpointFromHuggingFaceHub() throws {
        let checkpoint = try SafetensorsCheckpoint(path: Self.directory + "/sharded")
        let expected = try XCTUnwrap(try FormatsTestSupport.json(Self.directory + "/sharded.json") as? [String: [String: Any]])
        XCTAssertEqual(checkpoint.files.count, 3)
        XCTAssertEqual(checkpoint.index?.totalSize, 336)
        XCTAssertEqual(checkpoint.index?.shards, (1...3).map { "model-0000\($0)-of-00003.safetensors" })
        XCTAssertEqual(Set(checkpoint.tensorNames), Set(expected.keys))
        for (name, e) in expected {
            XCTAssertEqual(checkpoint.tensor(named: name)?.shape, e["shape"] as? [Int], name)
            let values = try XCTUnwrap(e["floats"] as? [Double])
            XCTAssertEqual(try checkpoint.floats(named: name), values.map { Float($0) }, name)
        }
        XCTAssertEqual(checkpoint.location(of: "lm_head.weight")?.file.path.hasSuffix("model-00003-of-00003.safetensors"), true)
        XCTAssertEqual(checkpoint.tensor(named: "lm_head.weight")?.dtype, .f16)
        XCTAssertThrowsError(try checkpoint.floats(named: "nope")) { error in
            XCTAssertTrue("\(error)".contains("tensor \"nope\": no such tensor"), "\(error)")
        }
        // The index file itself, and a single shard file, open too.
        XCTAssertEqual(try SafetensorsCheckpoint(path: Self.directory + "/sharded/model.safetensors.index.json").tensorNames.count, 5)
        XCTAssertEqual(try SafetensorsCheckpoint(path: Self.directory + "/sharded/model-00001-of-00003.safetensors").tensorNames,
                       ["model.embed_tokens.weight"])
    }

    func testDirectoryResolution() throws {
        let dir = try FormatsTestSupport.temporaryDirectory("resolve")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try SafetensorsCheckpoint(path: dir)) { error in
            XCTAssertTrue("\(error)".contains("no model.safetensors.index.json, model.safetensors or other .safetensors file"), "\(error)")
        }
        let source = Self.directory + "/dtypes.safetensors"
        try FileManager.default.copyItem(atPath: source, toPath: dir + "/weights.safetensors")
        XCTAssertEqual(try SafetensorsCheckpoint(path: dir).tensorNames.count, 19)
        try FileManager.default.copyItem(atPath: source, toPath: dir + "/other.safetensors")
        XCTAssertThrowsError(try SafetensorsCheckpoint(path: dir)) { error in
            XCTAssertTrue("\(error)".contains("several .safetensors files (other.safetensors, weights.safetensors)"), "\(error)")
        }
        try FileManager.default.copyItem(atPath: source, toPath: dir + "/model.safetensors")
        XCTAssertEqual(try SafetensorsCheckpoint(path: dir).files.first?.path, dir + "/model.safetensors")
    }

    func testIndexProblemsNameTheIndex() throws {
        let dir = try FormatsTestSupport.temporaryDirectory("index")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors"] {
            try FileManager.default.copyItem(atPath: Self.directory + "/sharded/" + name, toPath: dir + "/" + name)
        }
        let index = dir + "/model.safetensors.index.json"
        func expectError(_ json: String, _ message: String, line: UInt = #line) {
            FormatsTestSupport.write(Array(json.utf8), to: index)
            XCTAssertThrowsError(try SafetensorsCheckpoint(path: dir), line: line) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
            }
        }
        expectError(#"{"weight_map": {"a": "model-00003-of-00003.safetensors"}}"#,
                    "\(index): shard \"model-00003-of-00003.safetensors\" named in the index is missing")
        expectError(#"{"weight_map": {"lm_head.weight": "model-00001-of-00003.safetensors"}}"#,
                    "\(dir)/model-00001-of-00003.safetensors: tensor \"lm_head.weight\": listed in the index under \"model-00001-of-00003.safetensors\" but not in that file")
        expectError(#"{"weight_map": {"a": "../x.safetensors"}}"#, "leaves the checkpoint directory")
        expectError(#"{"metadata": {}}"#, "index: no \"weight_map\"")
        expectError(#"{"weight_map": {"a": 3}}"#, "at byte 16: index: \"a\" maps to a number, not a file name")
        expectError(#"{"weight_map": {"a": "x"},}"#, "at byte 26: header JSON: expected a string key")
    }
}
