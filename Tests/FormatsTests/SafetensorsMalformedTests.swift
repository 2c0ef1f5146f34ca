import Foundation
import Formats
import XCTest

/// Damaged files must produce a SafetensorsError naming the file, the byte offset and, where one
/// is involved, the tensor; never a crash.
final class SafetensorsMalformedTests: XCTestCase {
    /// 8-byte length, the header text, then `data`.
    func file(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { bytes += $0 }
        return bytes + Array(header.utf8) + data
    }

    func openError(_ bytes: [UInt8], line: UInt = #line) -> (path: String, error: SafetensorsError)? {
        let path = NSTemporaryDirectory() + "bad-\(getpid())-\(UUID().uuidString.prefix(8)).safetensors"
        FormatsTestSupport.write(bytes, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafetensorsFile(path: path)
            XCTFail("expected an error", line: line)
            return nil
        } catch {
            XCTAssertEqual(error.path, path, line: line)
            return (path, error)
        }
    }

    func expect(_ bytes: [UInt8], _ message: String, line: UInt = #line) {
        guard let (path, error) = openError(bytes, line: line) else { return }
        XCTAssertEqual("\(error)", "safetensors \(path)\(message)", line: line)
    }

    let f32x4 = #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#

    func testWellFormedBaseline() throws {
        let path = NSTemporaryDirectory() + "good-\(getpid()).safetensors"
        FormatsTestSupport.write(file(f32x4, data: [UInt8](repeating: 0, count: 16)), to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let f = try SafetensorsFile(path: path)
        XCTAssertEqual(f.tensors.map(\.name), ["w"])
        XCTAssertNil(f.metadata)
        XCTAssertEqual(try f.floats(named: "w"), [0, 0, 0, 0])
    }

    /// JSON escapes in names (\u with surrogate pairs, \n, \/) decode; numbers that are not
    /// integers are not shapes.
    func testEscapesAndNumbers() throws {
        let header = #"{"w\u00e9\ud83e\udd99\n\/":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#
        let path = NSTemporaryDirectory() + "escapes-\(getpid()).safetensors"
        FormatsTestSupport.write(file(header, data: [7, 9]), to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try SafetensorsFile(path: path).tensors.map(\.name), ["wé🦙\n/"])
        expect(file(#"{"w":{"dtype":"U8","shape":[2.0],"data_offsets":[0,2]}}"#, data: [0, 0]),
               " at byte 9: tensor \"w\": \"shape\" holds 2.0, not a non-negative integer")
        expect(file(#"{"w\ud83e":1}"#), " at byte 17: header JSON: unpaired surrogate")
        expect(file(#"{"w":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}"#, data: [0]),
               " at byte 37: header JSON: expected ',' or ']'")
    }

    func testHeaderLength() {
        expect([1, 2, 3], " at byte 0: file is 3 bytes, too small for the 8-byte header length")
        expect(file("{}", declaredLength: 100_000_001), " at byte 0: header length 100000001 exceeds the 100000000-byte limit")
        expect(file("{}", declaredLength: 3), " at byte 0: header length 3 runs past the end of the file (10 bytes)")
        expect(file("{}", declaredLength: .max), " at byte 0: header length 18446744073709551615 exceeds the 100000000-byte limit")
    }

    func testBadJSON() {
        expect(file(#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}"#),
               " at byte 64: header JSON: unexpected end, expected ',' or '}'")
        expect(file(#"{"w": nope}"#), " at byte 14: header JSON: invalid literal")
        expect(file(#"{"w": +1}"#), " at byte 14: header JSON: expected a value")
        expect(file(#"{"w":{}} x"#), " at byte 17: header JSON: unexpected text after the JSON value")
        expect(file("[1,2]"), " at byte 8: header is a JSON array, not an object")
        expect(file("{\"\u{01}\":1}"), " at byte 10: header JSON: control character in string")
        expect(file(#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},}"#),
               " at byte 65: header JSON: expected a string key")
    }

    func testBadEntries() {
        expect(file(#"{"w":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#, data: [0]),
               " at byte 9: tensor \"w\": unknown dtype \"F4\"")
        expect(file(#"{"w":{"dtype":"F32","shape":[2,2]}}"#), " at byte 9: tensor \"w\": missing \"data_offsets\"")
        expect(file(#"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,0]}}"#),
               " at byte 9: tensor \"w\": \"shape\" holds -2, not a non-negative integer")
        expect(file(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#),
               " at byte 9: tensor \"w\": \"data_offsets\" [8, 4] ends before it starts")
        expect(file(#"{"w":{"dtype":"F32","dtype":"F16","shape":[],"data_offsets":[0,2]}}"#, data: [0, 0]),
               " at byte 9: tensor \"w\": \"dtype\" appears twice")
        expect(file(#"{"w":[1]}"#), " at byte 9: tensor \"w\": entry is a JSON array, not an object")
        expect(file(#"{"__metadata__":{"format":1}}"#), " at byte 25: __metadata__ value of \"format\" is a number, not a string")
        expect(file(#"{"w":{"dtype":"U8","shape":[],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[],"data_offsets":[1,2]}}"#, data: [1, 2]),
               " at byte 60: tensor \"w\": appears twice in the header")
    }

    func testOffsetsOutOfRange() {
        expect(file(f32x4, data: [UInt8](repeating: 0, count: 12)),
               " at byte 9: tensor \"w\": \"data_offsets\" [0, 16] run past the end of the data section (12 bytes)")
        expect(file(#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, data: [UInt8](repeating: 0, count: 12)),
               " at byte 9: tensor \"w\": data_offsets span 12 bytes but dtype and shape need 16")
        expect(file(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#),
               " at byte 9: tensor \"w\": shape's byte size overflows")
        expect(file(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}"#),
               " at byte 9: tensor \"w\": \"data_offsets\" is not a pair of non-negative integers")
    }

    func testOverlapGapAndTrailingBytes() {
        let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        let h = UInt64(header.utf8.count)
        expect(file(header, data: [UInt8](repeating: 0, count: 24)),
               " at byte \(8 + h + 8): tensor \"b\": data starts at 8, overlapping the previous tensor (which ends at 16)")
        let gap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}"#
        let g = UInt64(gap.utf8.count)
        expect(file(gap, data: [UInt8](repeating: 0, count: 20)),
               " at byte \(8 + g + 12): tensor \"b\": data starts at 12, leaving a gap after the previous tensor (which ends at 8)")
        let n = UInt64(f32x4.utf8.count)
        expect(file(f32x4, data: [UInt8](repeating: 0, count: 20)),
               " at byte \(8 + n + 16): tensor \"w\": tensors end at data offset 16 but the data section is 20 bytes (trailing bytes)")
    }

    /// A real file cut short, at every length: always an error, never a crash.
    func testTruncatedReferenceFile() throws {
        let full = Array(try Data(contentsOf: URL(fileURLWithPath: SafetensorsFixtureTests.directory + "/dtypes.safetensors")))
        let headerEnd = 8 + Int(full.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        for n in stride(from: 0, to: full.count, by: 7) {
            XCTAssertNotNil(openError(Array(full[..<n])), "prefix of \(n) bytes")
        }
        guard let (path, error) = openError(Array(full.dropLast(3))) else { return }
        XCTAssertEqual(error.tensor, "bool")
        XCTAssertEqual("\(error)", "safetensors \(path) at byte \(error.offset!): tensor \"bool\": \"data_offsets\" [\(full.count - 3 - headerEnd), \(full.count - headerEnd)] run past the end of the data section (\(full.count - 3 - headerEnd) bytes)")
    }

    func testMissingFileAndDirectory() {
        XCTAssertThrowsError(try SafetensorsFile(path: "/nonexistent/x.safetensors")) { error in
            XCTAssertEqual("\(error)", "safetensors /nonexistent/x.safetensors: cannot open: No such file or directory")
        }
        XCTAssertThrowsError(try SafetensorsFile(path: NSTemporaryDirectory())) { error in
            XCTAssertTrue("\(error)".hasSuffix("not a regular file"), "\(error)")
        }
    }
}
