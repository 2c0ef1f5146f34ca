/// A map from byte strings to token ids, stored in one arena: a 129K vocabulary is a handful of
/// allocations, and lookups hash the query bytes in place without building a key object.
///
/// Laid out for few cache misses, since a 129K table is far larger than the cache and loading a
/// tokenizer does half a million lookups: a slot holds its hash tag and entry together, an entry its
/// place in the arena and its value together, so a lookup touches a slot, an entry and the arena.
struct BytesTable: Sendable {
    private struct Entry {
        var start: Int32
        var length: Int32
        var value: TokenID
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// 0 when empty, else (high 32 bits of the key's hash) << 32 | (entry index + 1).
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    /// Inserts or replaces; returns the previous value if the key was present.
    @discardableResult
    mutating func insert(_ key: some Collection<UInt8>, _ value: TokenID) -> TokenID? {
        let bytes = Array(key)
        let h = bytes.withUnsafeBufferPointer { hashBytes($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        if let entry = bytes.withUnsafeBufferPointer({ find($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, h) }) {
            let old = entries[entry].value
            entries[entry].value = value
            return old
        }
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append(Entry(start: Int32(arena.count), length: Int32(bytes.count), value: value))
        arena.append(contentsOf: bytes)
        place(entry: entries.count - 1, hash: h)
        return nil
    }

    private mutating func place(entry: Int, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h >> 32) << 32 | UInt64(entry + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        let hashes = arena.withUnsafeBufferPointer { a in
            entries.map { hashBytes(a.baseAddress! + Int($0.start), Int($0.length)) }
        }
        for (entry, h) in hashes.enumerated() { place(entry: entry, hash: h) }
    }

    /// The entry index holding `key`, or nil.
    @inline(__always)
    private func find(_ key: UnsafePointer<UInt8>, _ count: Int, _ h: UInt64) -> Int? {
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { s in
            entries.withUnsafeBufferPointer { e in
                arena.withUnsafeBufferPointer { a in
                    while true {
                        let slot = s[i]
                        if slot == 0 { return nil }
                        if slot >> 32 == tag {
                            let entry = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                            if Int(e[entry].length) == count,
                               count == 0 || memcmpEqual(a.baseAddress! + Int(e[entry].start), key, count) {
                                return entry
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always)
    func get(_ key: UnsafePointer<UInt8>, _ count: Int) -> TokenID? {
        guard let entry = find(key, count, hashBytes(key, count)) else { return nil }
        return entries[entry].value
    }

    /// The value for a string's UTF-8 bytes, read in place.
    func get(spelling text: String) -> TokenID? {
        var text = text
        return text.withUTF8 { get($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    func get(_ key: some Collection<UInt8>) -> TokenID? {
        let bytes = Array(key)
        return bytes.withUnsafeBufferPointer { get($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= count {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
