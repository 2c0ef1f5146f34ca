/// Fast non-cryptographic hashing for the lookup tables (seeded per process is unnecessary: inputs are
/// vocabularies and text, and the tables resize; worst cases are bounded by probe length).
@inline(__always)
func mixHash(_ x: UInt64) -> UInt64 {
    var h = x &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
}

/// Hash of a byte string, 8 bytes at a time.
@inline(__always)
func hashBytes(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= count {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        i += 8
    }
    if i < count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    }
    return mixHash(h)
}
