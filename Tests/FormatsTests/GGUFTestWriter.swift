#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Formats

/// Minimal GGUF writer for tests: header, key/values, tensor infos, aligned tensor data.
/// Written independently of the reader so round trips check the layout, not just symmetry.
struct GGUFTestWriter {
    /// A value to write. Arrays carry their element type so empty arrays can be expressed.
    indirect enum Value {
        case scalar(GGUFValue)
        case array(GGUFValueType, [Value])
    }

    struct Tensor {
        var name: String
        var shape: [UInt64]
        var type: UInt32
        var data: [UInt8]
        /// Writes this relative offset instead of the computed one (for malformed-file tests).
        var offsetOverride: UInt64? = nil
    }

    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    /// Only used for padding; add a "general.alignment" kv to declare it.
    var alignment = 32
    var kvs: [(String, Value)] = []
    var tensors: [Tensor] = []

    mutating func add(_ key: String, _ v: GGUFValue) { kvs.append((key, .scalar(v))) }
    mutating func add(_ key: String, _ v: Value) { kvs.append((key, v)) }

    func bytes() -> [UInt8] {
        var b = magic
        b.le(version)
        b.le(UInt64(tensors.count))
        b.le(UInt64(kvs.count))
        for (k, v) in kvs {
            b.gstring(k)
            b.encode(v, withTag: true)
        }
        var rel: UInt64 = 0
        var offsets: [UInt64] = []
        for t in tensors {
            offsets.append(rel)
            rel = Self.align(rel + UInt64(t.data.count), alignment)
        }
        for (t, off) in zip(tensors, offsets) {
            b.gstring(t.name)
            b.le(UInt32(t.shape.count))
            for d in t.shape { b.le(d) }
            b.le(t.type)
            b.le(t.offsetOverride ?? off)
        }
        b.pad(to: alignment)
        let dataStart = b.count
        for (i, t) in tensors.enumerated() {
            precondition(b.count == dataStart + Int(offsets[i]))
            b += t.data
            if i < tensors.count - 1 { b.pad(to: alignment) }  // no trailing pad: EOF = last byte of data
        }
        return b
    }

    static func align(_ n: UInt64, _ a: Int) -> UInt64 { (n + UInt64(a) - 1) / UInt64(a) * UInt64(a) }
}

extension [UInt8] {
    mutating func le<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    mutating func gstring(_ s: String) {
        le(UInt64(s.utf8.count))
        append(contentsOf: s.utf8)
    }

    mutating func pad(to alignment: Int) {
        while count % alignment != 0 { append(0) }
    }

    mutating func encode(_ v: GGUFTestWriter.Value, withTag: Bool) {
        switch v {
        case .array(let elementType, let items):
            if withTag { le(GGUFValueType.array.rawValue) }
            le(elementType.rawValue)
            le(UInt64(items.count))
            for item in items { encode(item, withTag: false) }
        case .scalar(let s):
            if withTag { le(s.type.rawValue) }
            switch s {
            case .uint8(let x): le(x)
            case .int8(let x): le(x)
            case .uint16(let x): le(x)
            case .int16(let x): le(x)
            case .uint32(let x): le(x)
            case .int32(let x): le(x)
            case .uint64(let x): le(x)
            case .int64(let x): le(x)
            case .float32(let x): le(x.bitPattern)
            case .float64(let x): le(x.bitPattern)
            case .bool(let x): append(x ? 1 : 0)
            case .string(let x): gstring(x)
            case .array: fatalError("use Value.array for arrays")
            }
        }
    }
}

/// Temporary files for tests, removed by the caller.
enum TempFile {
    nonisolated(unsafe) private static var counter = 0

    static func write(_ bytes: [UInt8], name: String = "t") -> String {
        counter += 1
        let path = "/tmp/gguf-test-\(getpid())-\(name)-\(counter).gguf"
        let f = fopen(path, "wb")!
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }

    static func remove(_ path: String) { unlink(path) }
}
