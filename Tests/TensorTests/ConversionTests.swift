import XCTest
@testable import Tensor

/// f32 <-> bf16/f16 against torch (Tests/Fixtures/tensor/conversions.json), scalar and bulk paths.
final class ConversionTests: XCTestCase {
    /// Pairs (input bits, torch's output bits) from the fixture.
    func pairs(_ key: String) throws -> [(UInt32, UInt32)] {
        let rows = try XCTUnwrap(try TestSupport.fixture("conversions.json")[key] as? [[Int]])
        return rows.map { (UInt32($0[0]), UInt32($0[1])) }
    }

    func testF32ToBF16MatchesTorch() throws {
        let cases = try pairs("f32_to_bf16")
        let inputs = cases.map { Float(bitPattern: $0.0) }
        // Bulk path: 16-lane body plus scalar tail (the count is not a multiple of 16).
        let bulk = DType.bf16.encode(inputs).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
        for (i, (input, expected)) in cases.enumerated() {
            let value = Float(bitPattern: input)
            let scalar = value.bf16Bits
            XCTAssertEqual(bulk[i], scalar, "bulk and scalar differ for \(String(input, radix: 16))")
            if value.isNaN {
                XCTAssertTrue(Float(bf16Bits: scalar).isNaN, "NaN \(String(input, radix: 16)) must stay NaN")
                XCTAssertEqual(scalar & 0x8000, UInt16(input >> 16) & 0x8000, "NaN keeps its sign")
            } else {
                XCTAssertEqual(UInt32(scalar), expected, "f32 \(String(input, radix: 16)) -> bf16")
            }
        }
    }

    func testF32ToF16MatchesTorch() throws {
        let cases = try pairs("f32_to_f16")
        let inputs = cases.map { Float(bitPattern: $0.0) }
        let bulk = DType.f16.encode(inputs).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
        for (i, (input, expected)) in cases.enumerated() {
            let value = Float(bitPattern: input)
            if value.isNaN {
                XCTAssertTrue(Float16(bitPattern: bulk[i]).isNaN)
            } else {
                XCTAssertEqual(UInt32(bulk[i]), expected, "f32 \(String(input, radix: 16)) -> f16")
                XCTAssertEqual(Float16(value).bitPattern, bulk[i], "bulk and scalar differ")
            }
        }
    }

    func testHalfToF32MatchesTorch() throws {
        for (key, dtype) in [("bf16_to_f32", DType.bf16), ("f16_to_f32", DType.f16)] {
            let cases = try pairs(key)
            let bits = cases.map { UInt16($0.0) }
            let decoded = bits.withUnsafeBytes { dtype.decode($0) }
            for (i, (input, expected)) in cases.enumerated() {
                let isNaN = Float(bitPattern: expected).isNaN
                if isNaN {
                    XCTAssertTrue(decoded[i].isNaN, "\(key) \(String(input, radix: 16))")
                } else {
                    XCTAssertEqual(decoded[i].bitPattern, expected, "\(key) \(String(input, radix: 16))")
                }
            }
        }
    }

    func testBF16RoundingRules() {
        // Ties go to the even neighbour, in normal and subnormal range; overflow rounds to infinity.
        XCTAssertEqual(Float(bitPattern: 0x3F80_8000).bf16Bits, 0x3F80)
        XCTAssertEqual(Float(bitPattern: 0x3F81_8000).bf16Bits, 0x3F82)
        XCTAssertEqual(Float(bitPattern: 0x0000_8000).bf16Bits, 0x0000)
        XCTAssertEqual(Float(bitPattern: 0x0001_8000).bf16Bits, 0x0002)
        XCTAssertEqual(Float.greatestFiniteMagnitude.bf16Bits, 0x7F80)
        XCTAssertEqual((-Float.infinity).bf16Bits, 0xFF80)
        XCTAssertTrue(Float(bf16Bits: Float.nan.bf16Bits).isNaN)
        XCTAssertTrue(Float(bf16Bits: Float(bitPattern: 0x7F80_0001).bf16Bits).isNaN, "signalling NaN is not rounded to inf")
    }

    func testEveryBF16RoundTripsExactly() {
        // Every bf16 pattern decodes to an f32 that encodes back to itself (NaNs stay NaN).
        let all = (0...UInt16.max).map { $0 }
        let decoded = all.withUnsafeBytes { DType.bf16.decode($0) }
        let encoded = DType.bf16.encode(decoded).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
        for (bits, back) in zip(all, encoded) {
            if Float(bf16Bits: bits).isNaN { XCTAssertTrue(Float(bf16Bits: back).isNaN) } else { XCTAssertEqual(back, bits) }
        }
    }

    func testBF16AndF16ConvertThroughF32() {
        var random = SeededRandom(3)
        let values = random.floats(100, scale: 100)
        let bf16 = DType.bf16.encode(values)
        var f16 = [UInt8](repeating: 0, count: values.count * 2)
        bf16.withUnsafeBytes { src in
            f16.withUnsafeMutableBytes { DType.f16.convert(values.count, from: src.baseAddress!, .bf16, to: $0.baseAddress!) }
        }
        let expected = DType.f16.encode(bf16.withUnsafeBytes { DType.bf16.decode($0) })
        XCTAssertEqual(f16, expected)
    }
}
