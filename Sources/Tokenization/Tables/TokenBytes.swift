/// Token id -> the bytes it stands for, all in one arena: a 128K vocabulary is three allocations instead of
/// 128K small arrays to allocate on every load and free on every exit.
struct TokenBytes: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int32]
    private var lengths: [Int32]

    /// `count` ids, each with no bytes until set.
    init(count: Int) {
        starts = Array(repeating: 0, count: count)
        lengths = Array(repeating: 0, count: count)
    }

    init(_ tokens: [[UInt8]]) {
        self.init(count: tokens.count)
        arena.reserveCapacity(tokens.reduce(0) { $0 + $1.count })
        for (id, bytes) in tokens.enumerated() { set(id, bytes) }
    }

    mutating func set(_ id: Int, _ bytes: some Collection<UInt8>) {
        starts[id] = Int32(arena.count)
        lengths[id] = Int32(bytes.count)
        arena.append(contentsOf: bytes)
    }

    subscript(id: Int) -> ArraySlice<UInt8> {
        let start = Int(starts[id])
        return arena[start..<start + Int(lengths[id])]
    }
}
