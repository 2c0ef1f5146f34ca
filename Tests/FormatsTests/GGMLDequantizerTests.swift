import Foundation
import Formats
import XCTest

/// Our dequantizer against gguf-py's `gguf.quants.dequantize` on random valid blocks
/// (scripts/make_gguf_quant_fixtures.py). Both compute in float32 in the same operation order,
/// so the comparison is bit-exact: tolerance zero.
final class GGMLDequantizerTests: XCTestCase {
    static let directory = FormatsTestSupport.fixtures + "/gguf-quants"

    struct Fixture {
        let type: GGMLType
        let raw: [UInt8]
        let expected: [Float]
    }

    static func fixtures() throws -> [Fixture] {
        let manifest = try XCTUnwrap(try FormatsTestSupport.json(directory + "/manifest.json") as? [String: [String: Int]])
        return try manifest.keys.sorted().map { name in
            let entry = manifest[name]!
            let type = try XCTUnwrap(GGMLType(rawValue: UInt32(entry["type"]!)))
            XCTAssertEqual(type.description, name)
            let raw = Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name).bin")))
            let floats = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name).f32"))
            let expected = floats.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            XCTAssertEqual(raw.count, entry["bytes"])
            XCTAssertEqual(expected.count, entry["elements"])
            return Fixture(type: type, raw: raw, expected: expected)
        }
    }

    func assertBitIdentical(_ ours: [Float], _ theirs: [Float], _ what: String, line: UInt = #line) {
        XCTAssertEqual(ours.count, theirs.count, what, line: line)
        let mismatches = zip(ours, theirs).enumerated().filter { $1.0.bitPattern != $1.1.bitPattern }
        if let (i, (a, b)) = mismatches.first {
            XCTFail("\(what): \(mismatches.count) of \(ours.count) differ; first at \(i): \(a) vs \(b)", line: line)
        }
    }

    func testEveryTypeMatchesGGUFPyExactly() throws {
        let fixtures = try Self.fixtures()
        XCTAssertEqual(Set(fixtures.map(\.type)), Set(GGMLType.allCases.filter(\.isDequantizable)), "a fixture per supported type")
        for f in fixtures {
            let ours = try f.raw.withUnsafeBytes { try GGMLDequantizer.dequantize($0, type: f.type, count: f.expected.count) }
            assertBitIdentical(ours, f.expected, "\(f.type)")
            XCTAssertGreaterThan(Set(f.expected.map(\.bitPattern)).count, f.expected.count / 20, "\(f.type) fixture is not degenerate")
        }
    }

    /// Large inputs are split across threads by whole blocks; the result must not change.
    func testParallelSplitGivesTheSameResult() throws {
        for f in try Self.fixtures() where [.q4_1, .q8_0, .q6_K, .f16].contains(f.type) {
            let copies = 300
            let raw = Array([[UInt8]](repeating: f.raw, count: copies).joined())
            let expected = Array([[Float]](repeating: f.expected, count: copies).joined())
            let ours = try raw.withUnsafeBytes { try GGMLDequantizer.dequantize($0, type: f.type, count: expected.count) }
            assertBitIdentical(ours, expected, "\(f.type) x\(copies)")
        }
    }

    func testUnsupportedTypesAreRefused() {
        let raw = [UInt8](repeating: 0, count: GGMLType.iq4_NL.typeSize)
        XCTAssertThrowsError(try raw.withUnsafeBytes { try GGMLDequantizer.dequantize($0, type: .iq4_NL, count: 32) }) { error in
            XCTAssertTrue("\(error)".hasPrefix("GGUF: type IQ4_NL cannot be dequantized (supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16)"), "\(error)")
        }
    }

    func testHalfConversionIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let ours = HalfPrecision.float(fromHalf: bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                XCTAssertTrue(ours.isNaN, "\(bits)")
                XCTAssertEqual(ours.bitPattern & 0x8000_0000, reference.bitPattern & 0x8000_0000)
            } else {
                XCTAssertEqual(ours.bitPattern, reference.bitPattern, "half bits \(String(bits, radix: 16))")
            }
            XCTAssertEqual(HalfPrecision.float(fromBFloat16: bits).bitPattern, UInt32(bits) << 16)
        }
    }
}
