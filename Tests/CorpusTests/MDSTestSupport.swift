import Corpus
import Foundation
import XCTest

/// Fixture paths, temp dirs and the typed-JSON sample format of scripts/mds_typed_json.py.
enum MDSTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mds")
    static let repoRoot = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tempDir(_ name: String = "mds") -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("longctx-\(name)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Copies a fixture dataset to a scratch dir so a test may damage it.
    static func copyFixture(_ name: String) -> String {
        let dst = tempDir(name) + "/ds"
        try! FileManager.default.copyItem(atPath: fixtures.appendingPathComponent(name).path, toPath: dst)
        return dst
    }

    /// One value as {"t": kind, "v": ..., "dtype"?, "shape"?}; numbers are strings.
    struct Typed: Decodable {
        enum V: Decodable {
            case one(String), many([String])
            init(from d: any Decoder) throws {
                let c = try d.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .one(s) } else { self = .many(try c.decode([String].self)) }
            }
        }
        let t: String
        let v: V
        let dtype: String?
        let shape: [Int]?

        var value: MDSValue {
            switch (t, v) {
            case ("str", .one(let s)): return .string(s)
            case ("json", .one(let s)): return .json(s)
            case ("bytes", .one(let s)): return .bytes(hexBytes(s))
            case ("int", .one(let s)): return .int(Int64(s)!)
            case ("uint", .one(let s)): return .uint(UInt64(s)!)
            case ("double", .one(let s)): return .double(Double(s)!)
            case ("array", .many(let xs)): return .array(array(xs))
            default: fatalError("bad typed value \(t)")
            }
        }

        private func array(_ xs: [String]) -> MDSArray {
            let storage: MDSArray.Storage
            switch dtype! {
            case "uint8": storage = .uint8(xs.map { UInt8($0)! })
            case "int8": storage = .int8(xs.map { Int8($0)! })
            case "uint16": storage = .uint16(xs.map { UInt16($0)! })
            case "int16": storage = .int16(xs.map { Int16($0)! })
            case "float16": storage = .float16Bits(xs.map { Float16(Double($0)!).bitPattern })
            case "uint32": storage = .uint32(xs.map { UInt32($0)! })
            case "int32": storage = .int32(xs.map { Int32($0)! })
            case "float32": storage = .float32(xs.map { Float(Double($0)!) })
            case "uint64": storage = .uint64(xs.map { UInt64($0)! })
            case "int64": storage = .int64(xs.map { Int64($0)! })
            case "float64": storage = .float64(xs.map { Double($0)! })
            default: fatalError("dtype \(dtype!)")
            }
            return MDSArray(storage, shape: shape!)
        }

        private func hexBytes(_ s: String) -> [UInt8] {
            let cs = Array(s.utf8)
            return stride(from: 0, to: cs.count, by: 2).map { UInt8(String(decoding: cs[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
        }
    }

    struct Expected: Decodable {
        let samples: [[String: Typed]]
        let count: Int?
        let size_limit: Int?
        let shards: Int?
        var values: [[String: MDSValue]] { samples.map { $0.mapValues(\.value) } }
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("\(name)/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    static func readAll(_ ds: MDSDataset) throws -> [[String: MDSValue]] {
        var out: [[String: MDSValue]] = []
        try ds.forEachSample { out.append($0) }
        return out
    }
}
