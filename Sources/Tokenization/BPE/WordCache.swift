/// Remembers the ids of recently seen words. Natural text repeats its words, so after a warm-up most
/// words cost one hash lookup instead of a merge loop. Bounded: it starts over when full.
struct WordCache {
    private var keyArena: [UInt8] = []
    private var idArena: [TokenID] = []
    // Per entry: key start, key length, ids start, ids count.
    private var entries: [(keyStart: Int32, keyLength: Int32, idStart: Int32, idCount: Int32)] = []
    private var slots: [Int32]
    private var tags: [UInt32]
    private var mask: Int
    private let maxEntries: Int
    static let maxWordLength = 256

    /// Starts small (a one-off encode of a short text should not pay for a big table) and grows.
    init(maxEntries: Int = 1 << 16) {
        slots = Array(repeating: -1, count: 1024)
        tags = Array(repeating: 0, count: 1024)
        mask = 1023
        self.maxEntries = maxEntries
    }

    /// Appends the cached ids of `word` to `output` and returns true, or returns false.
    @inline(__always)
    func lookup(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt64, into output: inout [TokenID]) -> Bool {
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return false }
            if tags[i] == tag {
                let entry = entries[e]
                if Int(entry.keyLength) == word.count {
                    let equal = keyArena.withUnsafeBufferPointer {
                        memcmpEqual($0.baseAddress! + Int(entry.keyStart), word.baseAddress!, word.count)
                    }
                    if equal {
                        let start = Int(entry.idStart)
                        if entry.idCount == 1 {
                            output.append(idArena[start])
                        } else {
                            output.append(contentsOf: idArena[start..<(start + Int(entry.idCount))])
                        }
                        return true
                    }
                }
            }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt64, ids: ArraySlice<TokenID>) {
        if entries.count >= maxEntries {
            clear()
        } else if (entries.count + 1) * 2 > slots.count {
            grow()
        }
        let entry = (Int32(keyArena.count), Int32(word.count), Int32(idArena.count), Int32(ids.count))
        keyArena.append(contentsOf: word)
        idArena.append(contentsOf: ids)
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entries.count)
        tags[i] = UInt32(truncatingIfNeeded: h >> 32)
        entries.append(entry)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        tags = Array(repeating: 0, count: size)
        mask = size - 1
        keyArena.withUnsafeBufferPointer { keys in
            for (e, entry) in entries.enumerated() {
                let h = hashBytes(keys.baseAddress! + Int(entry.keyStart), Int(entry.keyLength))
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = Int32(e)
                tags[i] = UInt32(truncatingIfNeeded: h >> 32)
            }
        }
    }

    private mutating func clear() {
        keyArena.removeAll(keepingCapacity: true)
        idArena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }
}
