import Formats
import XCTest

final class GGUFRoundTripTests: XCTestCase {
    /// A file with a key of every type, nested and empty arrays, and two tensors.
    static func sampleWriter(alignment: Int = 32) -> GGUFTestWriter {
        var w = GGUFTestWriter()
        w.alignment = alignment
        w.add("general.architecture", .string("llama"))
        if alignment != 32 { w.add("general.alignment", .uint32(UInt32(alignment))) }
        w.add("u8", .uint8(255))
        w.add("i8", .int8(-128))
        w.add("u16", .uint16(65535))
        w.add("i16", .int16(-32768))
        w.add("u32", .uint32(4_000_000_000))
        w.add("i32", .int32(-7))
        w.add("f32", .float32(1.5))
        w.add("yes", .bool(true))
        w.add("no", .bool(false))
        w.add("s", .string("héllo 🦙"))
        w.add("u64", .uint64(.max))
        w.add("i64", .int64(.min))
        w.add("f64", .float64(-0.125))
        w.add("tokens", .array(.string, ["<s>", "Ġthe", "日本", ""].map { .scalar(.string($0)) }))
        w.add("scores", .array(.float32, [0, -1.25, 3e38].map { .scalar(.float32($0)) }))
        w.add("types", .array(.int32, [1, -2, 3].map { .scalar(.int32($0)) }))
        w.add("u32s", .array(.uint32, [7, 8].map { .scalar(.uint32($0)) }))
        w.add("u8s", .array(.uint8, [1, 2, 255].map { .scalar(.uint8($0)) }))
        w.add("i64s", .array(.int64, [.min, 0, .max].map { .scalar(.int64($0)) }))
        w.add("u64s", .array(.uint64, [0, .max].map { .scalar(.uint64($0)) }))
        w.add("f64s", .array(.float64, [0.5, -2].map { .scalar(.float64($0)) }))
        w.add("bools", .array(.bool, [true, false].map { .scalar(.bool($0)) }))
        w.add("i16s", .array(.int16, [-1, 300].map { .scalar(.int16($0)) }))
        w.add("empty", .array(.string, []))
        w.add("nested", .array(.array, [
            .array(.int32, [.scalar(.int32(1)), .scalar(.int32(2))]),
            .array(.string, [.scalar(.string("x"))]),
            .array(.array, [.array(.uint8, [])]),
        ]))
        // F32 [3, 2] then F16 [4]: data 24 and 8 bytes, the second starts on the next boundary.
        let f32: [Float] = [1, 2, 3, 4, 5, 6]
        w.tensors.append(.init(name: "a.f32", shape: [3, 2], type: 0,
                               data: f32.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }))
        let f16bits: [UInt16] = [0x3C00, 0xC000, 0x3800, 0x0000]  // 1, -2, 0.5, 0
        w.tensors.append(.init(name: "b.f16", shape: [4], type: 1,
                               data: f16bits.flatMap { v in withUnsafeBytes(of: v.littleEndian, Array.init) }))
        return w
    }

    func testRoundTripAllTypes() throws {
        let w = Self.sampleWriter()
        let path = TempFile.write(w.bytes(), name: "roundtrip")
        defer { TempFile.remove(path) }
        let g = try GGUFFile(path: path)

        XCTAssertEqual(g.version, 3)
        XCTAssertEqual(g.keys, w.kvs.map(\.0))
        XCTAssertEqual(g.alignment, 32)
        XCTAssertEqual(try g.string("general.architecture"), "llama")
        XCTAssertEqual(try g.value("u8"), .uint8(255))
        XCTAssertEqual(try g.value("i8"), .int8(-128))
        XCTAssertEqual(try g.value("u16"), .uint16(65535))
        XCTAssertEqual(try g.value("i16"), .int16(-32768))
        XCTAssertEqual(try g.uint32("u32"), 4_000_000_000)
        XCTAssertEqual(try g.int32("i32"), -7)
        XCTAssertEqual(try g.float32("f32"), 1.5)
        XCTAssertEqual(try g.bool("yes"), true)
        XCTAssertEqual(try g.bool("no"), false)
        XCTAssertEqual(try g.string("s"), "héllo 🦙")
        XCTAssertEqual(try g.uint64("u64"), .max)
        XCTAssertEqual(try g.int64("i64"), .min)
        XCTAssertEqual(try g.float64("f64"), -0.125)

        XCTAssertEqual(try g.strings("tokens"), ["<s>", "Ġthe", "日本", ""])
        XCTAssertEqual(try g.float32s("scores"), [0, -1.25, 3e38])
        XCTAssertEqual(try g.int32s("types"), [1, -2, 3])
        XCTAssertEqual(try g.uint32s("u32s"), [7, 8])
        XCTAssertEqual(try g.uint8s("u8s"), [1, 2, 255])
        XCTAssertEqual(try g.int64s("i64s"), [.min, 0, .max])
        XCTAssertEqual(try g.uint64s("u64s"), [0, .max])
        XCTAssertEqual(try g.float64s("f64s"), [0.5, -2])
        XCTAssertEqual(try g.bools("bools"), [true, false])
        XCTAssertEqual(try g.ints("i16s"), [-1, 300])
        XCTAssertEqual(try g.ints("types"), [1, -2, 3])
        XCTAssertEqual(try g.strings("empty"), [])
        XCTAssertEqual(try g.value("tokens"), .array(["<s>", "Ġthe", "日本", ""].map { .string($0) }))
        XCTAssertEqual(try g.value("nested"), .array([
            .array([.int32(1), .int32(2)]), .array([.string("x")]), .array([.array([])]),
        ]))
        XCTAssertEqual(g.typeDescription("tokens"), "array<string>")
        XCTAssertEqual(g.typeDescription("nested"), "array<array>")
        XCTAssertEqual(g.arrayInfo("tokens")?.count, 4)
        XCTAssertEqual(g.arrayInfo("tokens")?.elementType, .string)
        XCTAssertNil(g.arrayInfo("u8"))
        XCTAssertEqual(g.valueType("u8"), .uint8)
        XCTAssertTrue(g.contains("u8"))
        XCTAssertFalse(g.contains("nope"))

        XCTAssertEqual(g.tensors.count, 2)
        let a = try XCTUnwrap(g.tensor(named: "a.f32"))
        XCTAssertEqual(a.shape, [3, 2])
        XCTAssertEqual(a.type, .f32)
        XCTAssertEqual(a.byteCount, 24)
        XCTAssertEqual(a.elementCount, 6)
        XCTAssertEqual(a.offset, g.dataOffset)
        XCTAssertEqual(g.dataOffset % 32, 0)
        let aData = g.tensorData(a)
        XCTAssertEqual(Array(aData.bindMemory(to: Float.self)), [1, 2, 3, 4, 5, 6])
        let b = try XCTUnwrap(g.tensor(named: "b.f16"))
        XCTAssertEqual(b.type, .f16)
        XCTAssertEqual(b.offset, g.dataOffset + 32)
        XCTAssertEqual(b.byteCount, 8)
        XCTAssertEqual(b.offset + b.byteCount, g.fileSize)
        XCTAssertEqual(Array(g.tensorData(b).bindMemory(to: UInt16.self)), [0x3C00, 0xC000, 0x3800, 0x0000])
        XCTAssertNil(g.tensor(named: "c"))
    }

    func testCustomAlignmentAndVersion2() throws {
        var w = Self.sampleWriter(alignment: 64)
        w.version = 2
        let path = TempFile.write(w.bytes(), name: "align64")
        defer { TempFile.remove(path) }
        let g = try GGUFFile(path: path)
        XCTAssertEqual(g.version, 2)
        XCTAssertEqual(g.alignment, 64)
        XCTAssertEqual(g.dataOffset % 64, 0)
        XCTAssertEqual(g.tensors[1].offset, g.dataOffset + 64)
    }

    func testNoTensorsNoKeys() throws {
        let path = TempFile.write(GGUFTestWriter().bytes(), name: "empty")
        defer { TempFile.remove(path) }
        let g = try GGUFFile(path: path)
        XCTAssertEqual(g.keys, [])
        XCTAssertEqual(g.tensors, [])
    }

    func testLookupErrors() throws {
        let path = TempFile.write(Self.sampleWriter().bytes(), name: "lookup")
        defer { TempFile.remove(path) }
        let g = try GGUFFile(path: path)

        // Absent scalars are nil; absent arrays throw "missing key".
        XCTAssertNil(try g.uint32("absent"))
        XCTAssertNil(try g.string("absent"))
        XCTAssertNil(try g.value("absent"))
        XCTAssertThrowsError(try g.strings("absent")) { e in
            XCTAssertEqual((e as? GGUFError)?.reason, .missingKey("absent"))
            XCTAssertTrue("\(e)".contains("missing key \"absent\""), "\(e)")
            XCTAssertTrue("\(e)".contains(path), "\(e)")
        }
        XCTAssertThrowsError(try g.string("u32")) { e in
            XCTAssertEqual((e as? GGUFError)?.reason, .typeMismatch(key: "u32", actual: "uint32", expected: "string"))
            XCTAssertTrue("\(e)".contains("key \"u32\" has type uint32 not string"), "\(e)")
        }
        XCTAssertThrowsError(try g.int32s("tokens")) { e in
            XCTAssertEqual((e as? GGUFError)?.reason,
                           .typeMismatch(key: "tokens", actual: "array<string>", expected: "array<int32>"))
        }
        XCTAssertThrowsError(try g.strings("s"))
        XCTAssertThrowsError(try g.float32("s"))
        XCTAssertThrowsError(try g.ints("scores"))

        // Integer scalars convert between widths when the value fits.
        XCTAssertEqual(try g.int("u8"), 255)
        XCTAssertEqual(try g.uint32("u8"), 255)
        XCTAssertEqual(try g.int64("u32"), 4_000_000_000)
        XCTAssertThrowsError(try g.int32("u32")) { e in
            XCTAssertEqual((e as? GGUFError)?.reason, .valueOutOfRange(key: "u32", expected: "int32"))
        }
        XCTAssertThrowsError(try g.uint32("i32"))
        XCTAssertThrowsError(try g.int("u64"))
        XCTAssertEqual(try g.float64("f32"), 1.5)
    }

    func testTypeTables() {
        XCTAssertEqual(GGMLType.q4_K.blockSize, 256)
        XCTAssertEqual(GGMLType.q4_K.typeSize, 144)
        XCTAssertEqual(GGMLType.q6_K.typeSize, 210)
        XCTAssertEqual(GGMLType.q8_0.typeSize, 34)
        XCTAssertEqual(GGMLType.bf16.typeSize, 2)
        XCTAssertEqual(GGMLType.q4_1.byteCount(elements: 64), 40)
        XCTAssertNil(GGMLType.q4_1.byteCount(elements: 33))
        XCTAssertEqual("\(GGMLType.iq2_XXS)", "IQ2_XXS")
        XCTAssertNil(GGMLType(rawValue: 4))
    }
}
