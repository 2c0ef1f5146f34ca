import FoundationEssentials
import Formats
import XCTest

/// Cross-check against files written by the reference Python writer
/// (scripts/make_gguf_fixture.py, PyPI `gguf`).
final class GGUFFixtureTests: XCTestCase {
    static let fixtureDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gguf")

    /// One JSON value node: {"type": name, "value": ...}; arrays hold nodes.
    indirect enum Node: Decodable {
        case value(GGUFValue)

        enum Keys: String, CodingKey { case type, value }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            let type = try c.decode(String.self, forKey: .type)
            let v: GGUFValue
            switch type {
            case "uint8": v = .uint8(try c.decode(UInt8.self, forKey: .value))
            case "int8": v = .int8(try c.decode(Int8.self, forKey: .value))
            case "uint16": v = .uint16(try c.decode(UInt16.self, forKey: .value))
            case "int16": v = .int16(try c.decode(Int16.self, forKey: .value))
            case "uint32": v = .uint32(try c.decode(UInt32.self, forKey: .value))
            case "int32": v = .int32(try c.decode(Int32.self, forKey: .value))
            case "uint64": v = .uint64(try c.decode(UInt64.self, forKey: .value))
            case "int64": v = .int64(try c.decode(Int64.self, forKey: .value))
            case "float32": v = .float32(Float(try c.decode(Double.self, forKey: .value)))
            case "float64": v = .float64(try c.decode(Double.self, forKey: .value))
            case "bool": v = .bool(try c.decode(Bool.self, forKey: .value))
            case "string": v = .string(try c.decode(String.self, forKey: .value))
            case "array": v = .array(try c.decode([Node].self, forKey: .value).map(\.value))
            default: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: type)
            }
            self = .value(v)
        }

        var value: GGUFValue { if case .value(let v) = self { return v }; fatalError() }
    }

    struct Entry: Decodable {
        let key: String
        let node: Node
        init(from decoder: Decoder) throws {
            key = try decoder.container(keyedBy: K.self).decode(String.self, forKey: .key)
            node = try Node(from: decoder)
        }
        enum K: String, CodingKey { case key }
    }

    struct Tensor: Decodable {
        let name: String, type: String, shape: [Int], offset: Int, n_bytes: Int, values: [Double]
    }

    struct Doc: Decodable {
        let version: UInt32, alignment: Int, data_offset: Int, file_size: Int
        let metadata: [Entry]
        let tensors: [Tensor]
        let quant_sizes: [String: [Int]]
    }

    func testMatchesReferenceWriter() throws {
        let json = try Data(contentsOf: Self.fixtureDir.appendingPathComponent("small.json"))
        let doc = try JSONDecoder().decode(Doc.self, from: json)
        let g = try GGUFFile(path: Self.fixtureDir.appendingPathComponent("small.gguf").path)

        XCTAssertEqual(g.version, doc.version)
        XCTAssertEqual(g.alignment, doc.alignment)
        XCTAssertEqual(g.dataOffset, doc.data_offset)
        XCTAssertEqual(g.fileSize, doc.file_size)
        XCTAssertEqual(g.keys, doc.metadata.map(\.key))
        for e in doc.metadata {
            let expected = e.node.value
            XCTAssertEqual(try g.value(e.key), expected, e.key)
            // Typed accessors must agree with the generic path.
            guard case .array(let items) = expected, let first = items.first else { continue }
            switch first {
            case .string: XCTAssertEqual(try g.strings(e.key), items.map { $0.stringValue! }, e.key)
            case .float32: XCTAssertEqual(try g.float32s(e.key).map(GGUFValue.float32), items, e.key)
            case .float64: XCTAssertEqual(try g.float64s(e.key).map(GGUFValue.float64), items, e.key)
            case .int32: XCTAssertEqual(try g.int32s(e.key).map(GGUFValue.int32), items, e.key)
            case .uint32: XCTAssertEqual(try g.uint32s(e.key).map(GGUFValue.uint32), items, e.key)
            case .uint8: XCTAssertEqual(try g.uint8s(e.key).map(GGUFValue.uint8), items, e.key)
            case .int64: XCTAssertEqual(try g.int64s(e.key).map(GGUFValue.int64), items, e.key)
            case .bool: XCTAssertEqual(try g.bools(e.key).map(GGUFValue.bool), items, e.key)
            default: break
            }
        }
        // -0.0 == 0.0 under ==, so check the sign bit survived explicitly.
        XCTAssertEqual(try g.float64s("test.arr.float64")[1].sign, .minus)

        XCTAssertEqual(g.tensors.map(\.name), doc.tensors.map(\.name))
        for (t, ref) in zip(g.tensors, doc.tensors) {
            XCTAssertEqual("\(t.type)", ref.type)
            XCTAssertEqual(t.shape, ref.shape)
            XCTAssertEqual(t.offset, ref.offset)
            XCTAssertEqual(t.byteCount, ref.n_bytes)
            let data = g.tensorData(t)
            let values: [Double] = t.type == .f32
                ? data.bindMemory(to: Float.self).map(Double.init)
                : data.bindMemory(to: Float16Bits.self).map { $0.double }
            XCTAssertEqual(values, ref.values, t.name)
        }
    }

    func testQuantSizesMatchReference() throws {
        let json = try Data(contentsOf: Self.fixtureDir.appendingPathComponent("small.json"))
        let doc = try JSONDecoder().decode(Doc.self, from: json)
        for (raw, sizes) in doc.quant_sizes {
            guard let t = GGMLType(rawValue: UInt32(raw)!) else { XCTFail("missing type \(raw)"); continue }
            XCTAssertEqual([t.blockSize, t.typeSize], sizes, "\(t)")
        }
        XCTAssertEqual(doc.quant_sizes.count, GGMLType.allCases.count)
    }
}

/// IEEE half decoding without relying on the platform Float16 type.
struct Float16Bits {
    var bits: UInt16
    var double: Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exp = Int((bits >> 10) & 0x1F), frac = Double(bits & 0x3FF)
        switch exp {
        case 0: return sign * frac * 0x1p-24
        case 31: return frac == 0 ? sign * .infinity : .nan
        default: return sign * (1 + frac / 1024) * Double(sign: .plus, exponent: exp - 15, significand: 1)
        }
    }
}
