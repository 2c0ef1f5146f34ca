/// Little-endian loads and stores. MDS is numpy `tobytes()` output, i.e. host order on the
/// little-endian machines it is written on; we read and write little-endian explicitly.
enum LE {
    @inline(__always)
    static func load<T: FixedWidthInteger>(_ buf: UnsafeRawBufferPointer, _ at: Int, as: T.Type) -> T {
        T(littleEndian: buf.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    @inline(__always)
    static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    /// Reads `count` elements starting at `at`.
    static func loadArray<T: FixedWidthInteger>(_ buf: UnsafeRawBufferPointer, _ at: Int, count: Int, as: T.Type) -> [T] {
        (0..<count).map { load(buf, at + $0 * MemoryLayout<T>.size, as: T.self) }
    }
}
