import Foundation
import Formats
import XCTest

final class SafetensorsWriterTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = try FormatsTestSupport.temporaryDirectory("writer")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The byte vectors of the reference library's own tests (safetensors/src/tensor.rs:
    /// test_serialization, test_serialization_forced_alignement, test_empty).
    func testReproducesTheReferenceLibrarysTestVectors() throws {
        let floats: [Float] = [0, 1, 2, 3, 4, 5]
        let path = directory + "/a.safetensors"
        try SafetensorsWriter.write([SafetensorsTensorToWrite(name: "attn.0", shape: [1, 2, 3], floats: floats)], to: path, metadata: nil)
        XCTAssertEqual(try bytes(path), [
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ])
        try SafetensorsWriter.write([SafetensorsTensorToWrite(name: "attn0", shape: [1, 1, 2, 3], floats: floats)], to: path, metadata: nil)
        XCTAssertEqual(try bytes(path), [
            72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
            121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
            91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
            115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
            32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
            160, 64,
        ])
        try SafetensorsWriter.write([], to: path, metadata: nil)
        XCTAssertEqual(try bytes(path), [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
        try SafetensorsWriter.write([], to: path, metadata: ["framework": "pt"])
        XCTAssertEqual(try bytes(path), [
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32,
        ])
    }

    static func sampleTensors() -> [SafetensorsTensorToWrite] {
        let values = (0..<24).map { Float($0) * 0.37 - 4 }
        return [
            SafetensorsTensorToWrite(name: "z.f32", shape: [2, 3, 4], floats: values),
            SafetensorsTensorToWrite(name: "a.bf16", shape: [4, 6], floats: values, as: .bf16),
            SafetensorsTensorToWrite(name: "m.f16", shape: [24], floats: values, as: .f16),
            SafetensorsTensorToWrite(name: "ids", dtype: .i64, shape: [3], bytes: [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]),
            SafetensorsTensorToWrite(name: "mask", dtype: .bool, shape: [3], bytes: [1, 0, 1]),
            SafetensorsTensorToWrite(name: "empty", shape: [0, 4], floats: []),
            SafetensorsTensorToWrite(name: "scalar", shape: [], floats: [2.5]),
            SafetensorsTensorToWrite(name: "héllo \"q\"\n", shape: [2], floats: [1, -1]),
        ]
    }

    func testRoundTripThroughOurReader() throws {
        let path = directory + "/t.safetensors"
        try SafetensorsWriter.write(Self.sampleTensors(), to: path)
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.dataOffset % 8, 0)
        // Descending dtype (I64 > F32 > BF16 > F16 > BOOL), then name.
        XCTAssertEqual(file.tensors.map(\.name), ["ids", "empty", "héllo \"q\"\n", "scalar", "z.f32", "a.bf16", "m.f16", "mask"])
        for t in file.tensors { XCTAssertEqual(t.byteRange.lowerBound % t.dtype.size, 0, "\(t.name) aligned") }
        let values = (0..<24).map { Float($0) * 0.37 - 4 }
        XCTAssertEqual(try file.floats(named: "z.f32"), values)
        XCTAssertEqual(try file.floats(named: "a.bf16"), values.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) })
        XCTAssertEqual(try file.floats(named: "m.f16"), values.map { Float(Float16($0)) })
        XCTAssertEqual(file.tensor(named: "a.bf16")?.shape, [4, 6])
        XCTAssertEqual(Array(try file.data(named: "mask")), [1, 0, 1])
        XCTAssertEqual(try file.data(named: "ids").loadUnaligned(fromByteOffset: 16, as: Int64.self), -1)
        XCTAssertEqual(try file.floats(named: "scalar"), [2.5])
        XCTAssertEqual(try file.floats(named: "héllo \"q\"\n"), [1, -1])
    }

    func testBadTensorsWriteNothing() throws {
        let path = directory + "/bad.safetensors"
        let cases: [([SafetensorsTensorToWrite], String)] = [
            ([SafetensorsTensorToWrite(name: "w", shape: [2, 2], floats: [1, 2, 3])],
             "safetensors \(path): tensor \"w\": has 3 values but shape [2, 2] holds 4"),
            ([SafetensorsTensorToWrite(name: "w", dtype: .u8, shape: [2], bytes: [1])],
             "safetensors \(path): tensor \"w\": has 1 bytes but U8 [2] needs 2"),
            ([SafetensorsTensorToWrite(name: "w", shape: [1], floats: [1]), SafetensorsTensorToWrite(name: "w", shape: [1], floats: [1])],
             "safetensors \(path): tensor \"w\": appears twice in the header"),
            ([SafetensorsTensorToWrite(name: "__metadata__", shape: [1], floats: [1])],
             "safetensors \(path): tensor \"__metadata__\": is not a usable tensor name"),
            ([SafetensorsTensorToWrite(name: "w", shape: [-1], floats: [])], "safetensors \(path): tensor \"w\": shape's byte size overflows"),
        ]
        for (tensors, message) in cases {
            XCTAssertThrowsError(try SafetensorsWriter.write(tensors, to: path)) { error in
                XCTAssertEqual("\(error)", message)
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [], "no file, no temporary left")
        }
        // A producer that throws its own error: reported with the tensor's name.
        struct Boom: Error {}
        let failing = SafetensorsTensorToWrite(name: "late", dtype: .f32, shape: [1]) { _ in throw Boom() }
        XCTAssertThrowsError(try SafetensorsWriter.write([SafetensorsTensorToWrite(name: "ok", shape: [1], floats: [1]), failing], to: path)) { error in
            XCTAssertEqual("\(error)", "safetensors \(path): tensor \"late\": could not produce its data: Boom()")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
        XCTAssertThrowsError(try SafetensorsWriter.write([], to: "/nonexistent/dir/x.safetensors")) { error in
            XCTAssertTrue("\(error)".hasPrefix("safetensors /nonexistent/dir/x.safetensors: open failed"), "\(error)")
        }
    }

    func testFloatEncodingsRoundToNearestEven() {
        // bf16: 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1); 1 + 3*2^-8 ties up.
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1 + 0x1p-8), 0x3F80)
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1 + 3 * 0x1p-8), 0x3F82)
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1 + 0x1p-8 + 0x1p-20), 0x3F81)
        XCTAssertEqual(HalfPrecision.bfloat16(from: .infinity), 0x7F80)
        XCTAssertEqual(HalfPrecision.bfloat16(from: -.nan), 0x7FC0)
        XCTAssertEqual(HalfPrecision.bfloat16(from: Float.greatestFiniteMagnitude), 0x7F80, "rounds up to infinity, as torch does")
        XCTAssertEqual(HalfPrecision.half(from: 65520), 0x7C00)
        XCTAssertEqual(HalfPrecision.half(from: 1 + 0x1p-11), 0x3C00)
    }
}
