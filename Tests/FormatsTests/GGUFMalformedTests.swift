import Formats
import XCTest

/// Malformed input must always produce a GGUFError, never a crash.
final class GGUFMalformedTests: XCTestCase {
    /// Opens `bytes` as a file and returns the error it must produce.
    func openError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> GGUFError? {
        let path = TempFile.write(bytes, name: "bad")
        defer { TempFile.remove(path) }
        do {
            _ = try GGUFFile(path: path)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let e as GGUFError {
            XCTAssertEqual(e.path, path, file: file, line: line)
            return e
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    func header(version: UInt32 = 3, tensors: UInt64 = 0, kvs: UInt64) -> [UInt8] {
        var b = Array("GGUF".utf8)
        b.le(version)
        b.le(tensors)
        b.le(kvs)
        return b
    }

    func testTruncatedAtEveryByte() throws {
        let full = GGUFRoundTripTests.sampleWriter().bytes()
        XCTAssertGreaterThan(full.count, 600)
        for n in 0..<full.count {
            let e = openError(Array(full[..<n]))
            XCTAssertNotNil(e, "prefix of \(n) bytes")
            if let o = e?.offset { XCTAssertLessThanOrEqual(o, n) }
        }
        // Sanity: the untruncated file opens.
        let path = TempFile.write(full)
        defer { TempFile.remove(path) }
        XCTAssertNoThrow(try GGUFFile(path: path))
    }

    func testTruncationMessages() {
        XCTAssertEqual(openError([])?.reason, .truncated(reading: "magic", needed: 4, available: 0))
        let e = openError(Array(header(kvs: 0).prefix(10)))
        XCTAssertEqual(e?.offset, 8)
        XCTAssertTrue("\(e!)".contains("truncated while reading tensor count"), "\(e!)")
    }

    func testBadMagic() {
        var b = header(kvs: 0)
        b[0] = UInt8(ascii: "X")
        let e = openError(b)
        XCTAssertEqual(e?.offset, 0)
        XCTAssertEqual(e?.reason, .badMagic(Array("XGUF".utf8)))
        XCTAssertTrue("\(e!)".contains("bad magic"))
    }

    func testVersions() {
        let v1 = openError(header(version: 1, kvs: 0))
        XCTAssertEqual(v1?.reason, .unsupportedVersion(1))
        XCTAssertEqual(v1?.offset, 4)
        XCTAssertTrue("\(v1!)".contains("version 1 is not supported"), "\(v1!)")
        XCTAssertEqual(openError(header(version: 4, kvs: 0))?.reason, .unsupportedVersion(4))
        XCTAssertEqual(openError(header(version: 0, kvs: 0))?.reason, .unsupportedVersion(0))
        XCTAssertEqual(openError(header(version: UInt32(3).byteSwapped, kvs: 0))?.reason, .bigEndian)
    }

    func testUnknownValueType() {
        var b = header(kvs: 1)
        b.gstring("k")
        let at = b.count
        b.le(UInt32(13))
        b.le(UInt32(0))
        let e = openError(b)
        XCTAssertEqual(e?.reason, .unknownValueType(13))
        XCTAssertEqual(e?.offset, at)
        // Also as an array element type.
        var c = header(kvs: 1)
        c.gstring("k")
        c.le(GGUFValueType.array.rawValue)
        c.le(UInt32(99))
        c.le(UInt64(0))
        XCTAssertEqual(openError(c)?.reason, .unknownValueType(99))
    }

    func testStringLengthBeyondFile() {
        var b = header(kvs: 1)
        let at = b.count
        b.le(UInt64(1) << 40)  // key length
        b += Array("abcdefghijklmnop".utf8)
        let e = openError(b)
        XCTAssertEqual(e?.reason, .stringTooLong(1 << 40))
        XCTAssertEqual(e?.offset, at)

        var c = header(kvs: 1)
        c.gstring("k")
        c.le(GGUFValueType.string.rawValue)
        c.le(UInt64.max)
        XCTAssertEqual(openError(c)?.reason, .stringTooLong(.max))
    }

    func testAbsurdCounts() {
        XCTAssertEqual(openError(header(kvs: .max))?.reason, .absurdCount(what: "metadata key/value", count: .max))
        XCTAssertEqual(openError(header(tensors: 1 << 60, kvs: 0))?.reason, .absurdCount(what: "tensor", count: 1 << 60))
        for (type, count) in [(GGUFValueType.uint64, UInt64(1) << 61), (.uint32, 1 << 62), (.string, 1000), (.array, 1 << 63)] {
            var b = header(kvs: 1)
            b.gstring("k")
            b.le(GGUFValueType.array.rawValue)
            b.le(type.rawValue)
            b.le(count)
            b += [UInt8](repeating: 0, count: 64)
            let e = openError(b)
            guard case .absurdCount(_, let n)? = e?.reason else {
                return XCTFail("\(type): \(String(describing: e))")
            }
            XCTAssertEqual(n, count)
        }
    }

    func testDeepNesting() {
        var b = header(kvs: 1)
        b.gstring("k")
        b.le(GGUFValueType.array.rawValue)
        for _ in 0..<1000 {
            b.le(GGUFValueType.array.rawValue)
            b.le(UInt64(1))
        }
        b.le(GGUFValueType.uint8.rawValue)
        b.le(UInt64(0))
        XCTAssertEqual(openError(b)?.reason, .nestingTooDeep)
    }

    func testDuplicates() {
        var w = GGUFTestWriter()
        w.add("k", .uint8(1))
        w.add("k", .uint8(2))
        XCTAssertEqual(openError(w.bytes())?.reason, .duplicateKey("k"))

        var t = GGUFTestWriter()
        t.tensors = [.init(name: "x", shape: [1], type: 0, data: [0, 0, 0, 0]),
                     .init(name: "x", shape: [1], type: 0, data: [0, 0, 0, 0])]
        XCTAssertEqual(openError(t.bytes())?.reason, .duplicateTensor("x"))
    }

    func testAlignmentKey() {
        var w = GGUFTestWriter()
        w.add("general.alignment", .uint32(48))
        XCTAssertEqual(openError(w.bytes())?.reason, .badAlignment(48))
        w.kvs = [("general.alignment", .scalar(.uint32(0)))]
        XCTAssertEqual(openError(w.bytes())?.reason, .badAlignment(0))
        w.kvs = [("general.alignment", .scalar(.uint64(32)))]
        XCTAssertEqual(openError(w.bytes())?.reason,
                       .typeMismatch(key: "general.alignment", actual: "uint64", expected: "uint32"))
    }

    func testTensorProblems() {
        func one(_ t: GGUFTestWriter.Tensor) -> GGUFError.Reason? {
            var w = GGUFTestWriter()
            w.tensors = [t]
            return openError(w.bytes())?.reason
        }
        let four: [UInt8] = [0, 0, 0, 0]
        XCTAssertEqual(one(.init(name: "t", shape: [1], type: 4, data: four)), .unknownTensorType(tensor: "t", raw: 4))
        XCTAssertEqual(one(.init(name: "t", shape: [2], type: 0, data: four)),
                       .tensorDataBeyondEnd(tensor: "t", end: 8 + 64, fileSize: 64 + 4))
        XCTAssertEqual(one(.init(name: "t", shape: [1], type: 0, data: four, offsetOverride: 32)),
                       .tensorDataBeyondEnd(tensor: "t", end: 64 + 36, fileSize: 64 + 4))
        XCTAssertEqual(one(.init(name: "t", shape: [1], type: 0, data: four, offsetOverride: 8)),
                       .misalignedTensor(tensor: "t", offset: 8))
        XCTAssertEqual(one(.init(name: "t", shape: [1], type: 0, data: four, offsetOverride: .max - 31)),
                       .tensorDataBeyondEnd(tensor: "t", end: .max, fileSize: 64 + 4))
        guard case .badTensorShape? = one(.init(name: "t", shape: [1, 1, 1, 1, 1], type: 0, data: four)) else {
            return XCTFail("5 dims accepted")
        }
        guard case .badTensorShape? = one(.init(name: "t", shape: [16], type: 2, data: four)) else {
            return XCTFail("Q4_0 with ne0 % 32 != 0 accepted")
        }
        guard case .badTensorShape? = one(.init(name: "t", shape: [1 << 40, 1 << 40], type: 0, data: four)) else {
            return XCTFail("overflowing shape accepted")
        }
        guard case .badTensorShape? = one(.init(name: "t", shape: [.max], type: 0, data: four)) else {
            return XCTFail("dimension > Int.max accepted")
        }
        let e = { () -> GGUFError? in
            var w = GGUFTestWriter()
            w.tensors = [.init(name: "t", shape: [2], type: 0, data: four)]
            return self.openError(w.bytes())
        }()
        XCTAssertTrue("\(e!)".contains("tensor \"t\" data ends at 72, beyond end of file (68 bytes)"), "\(e!)")
        XCTAssertEqual(e?.offset, 24)
    }

    func testFileSystemErrors() {
        XCTAssertThrowsError(try GGUFFile(path: "/nonexistent/x.gguf")) { e in
            XCTAssertTrue("\(e)".contains("cannot open"), "\(e)")
        }
        XCTAssertThrowsError(try GGUFFile(path: "/tmp")) { e in
            XCTAssertEqual((e as? GGUFError)?.reason, .io("not a regular file"))
        }
    }

    /// Random byte corruption: the reader may accept or reject, but must not crash,
    /// and whatever it accepts must be fully readable.
    func testRandomCorruption() throws {
        let base = GGUFRoundTripTests.sampleWriter().bytes()
        var rng = SplitMix(seed: 42)
        var accepted = 0
        for _ in 0..<1500 {
            var b = base
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
            }
            let path = TempFile.write(b, name: "fuzz")
            defer { TempFile.remove(path) }
            guard let g = try? GGUFFile(path: path) else { continue }
            accepted += 1
            for k in g.keys {
                _ = try g.value(k)
                if g.arrayInfo(k)?.elementType == .string { _ = try g.strings(k) }
            }
            for t in g.tensors { XCTAssertEqual(g.tensorData(t).count, t.byteCount) }
        }
        XCTAssertGreaterThan(accepted, 0)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
