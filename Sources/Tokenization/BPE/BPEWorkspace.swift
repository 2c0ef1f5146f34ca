/// Per-thread scratch for merging one word: reused across words so the hot path does not allocate.
struct BPEWorkspace {
    var symbols: [TokenID] = []
    var ranks: [UInt32] = []
    // Heap-based merging for long words.
    var next: [Int32] = []
    var prev: [Int32] = []
    var alive: [Bool] = []
    var heap = MergeHeap()

    init() {
        symbols.reserveCapacity(256)
        ranks.reserveCapacity(256)
    }
}

/// A binary min-heap of candidate merges ordered by (rank, position): the lowest rank merges first,
/// and among equal ranks the leftmost, as both tokenizers and tiktoken do.
struct MergeHeap {
    // rank << 32 | position: one integer compare orders both keys.
    private var items: [UInt64] = []

    var isEmpty: Bool { items.isEmpty }
    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(rank: UInt32, position: Int) {
        items.append(UInt64(rank) << 32 | UInt64(position))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> (rank: UInt32, position: Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < n && items[l] < items[smallest] { smallest = l }
                if r < n && items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return (UInt32(top >> 32), Int(top & 0xFFFF_FFFF))
    }
}
