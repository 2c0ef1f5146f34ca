/// A map from byte strings to token ids, stored in one arena: a 129K vocabulary is a handful of
/// allocations, and lookups hash the query bytes in place without building a key object.
struct BytesTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []       // entry -> start in arena
    private var lengths: [Int32] = []
    private var values: [TokenID] = []
    private var slots: [Int32]             // -1 empty, else entry index
    private var hashes: [UInt32]           // high bits of each slot's hash, to skip most byte compares
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { values.count }

    /// Inserts or replaces; returns the previous value if the key was present.
    @discardableResult
    mutating func insert(_ key: some Collection<UInt8>, _ value: TokenID) -> TokenID? {
        let bytes = Array(key)
        let h = bytes.withUnsafeBufferPointer { hashBytes($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        if let slot = findSlot(bytes, h) {
            let entry = Int(slots[slot])
            let old = values[entry]
            values[entry] = value
            return old
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        let entry = values.count
        starts.append(Int32(arena.count))
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        values.append(value)
        place(entry: entry, hash: h)
        return nil
    }

    private mutating func place(entry: Int, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entry)
        hashes[i] = UInt32(truncatingIfNeeded: h >> 32)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { a in
            for entry in 0..<values.count {
                let h = hashBytes(a.baseAddress! + Int(starts[entry]), Int(lengths[entry]))
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = Int32(entry)
                hashes[i] = UInt32(truncatingIfNeeded: h >> 32)
            }
        }
    }

    private func findSlot(_ key: [UInt8], _ h: UInt64) -> Int? {
        key.withUnsafeBufferPointer { k in
            findSlot(k.baseAddress ?? UnsafePointer(bitPattern: 1)!, k.count, h)
        }
    }

    @inline(__always)
    private func findSlot(_ key: UnsafePointer<UInt8>, _ count: Int, _ h: UInt64) -> Int? {
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { s in
            hashes.withUnsafeBufferPointer { hs in
                arena.withUnsafeBufferPointer { a in
                    while true {
                        let entry = Int(s[i])
                        if entry < 0 { return nil }
                        if hs[i] == tag, Int(lengths[entry]) == count,
                           count == 0 || memcmpEqual(a.baseAddress! + Int(starts[entry]), key, count) {
                            return i
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always)
    func get(_ key: UnsafePointer<UInt8>, _ count: Int) -> TokenID? {
        let h = hashBytes(key, count)
        guard let slot = findSlot(key, count, h) else { return nil }
        return values[Int(slots[slot])]
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
